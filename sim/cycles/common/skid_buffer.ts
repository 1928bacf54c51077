// Cycle model of common.skid_buffer (generator/blocks/common/skid_buffer.ts): the RTL's two
// flags, main_valid (= out_valid) and skid_empty (= in_ready), both registers:
//   load = !main_valid || out_ready
//   main_valid' = load ? (!skid_empty || in_valid) : main_valid
//   skid_empty' = load || (skid_empty && !in_valid)
// Latency 1, one beat per cycle at full rate; at most 2 beats inside.
import { type CyclePattern, type StreamCycles, type StreamStage, runStream } from '../kernel.ts';

export class SkidBuffer implements StreamStage<true> {
  private mainValid = false;
  private skidEmpty = true;

  get occupancy(): number {
    return (this.mainValid ? 1 : 0) + (this.skidEmpty ? 0 : 1);
  }

  out(): true | undefined {
    return this.mainValid ? true : undefined;
  }

  inReady(): boolean {
    return this.skidEmpty;
  }

  // in_valid is the offered beat; with skid_empty = in_ready it is taken whenever it matters
  // (skid_empty' and main_valid' only read in_valid where skid_empty holds).
  edge(taken: true | undefined, outReady: boolean): void {
    const inValid = taken !== undefined;
    const load = !this.mainValid || outReady;
    const nextMain = load ? !this.skidEmpty || inValid : this.mainValid;
    this.skidEmpty = load || (this.skidEmpty && !inValid);
    this.mainValid = nextMain;
  }

  get empty(): boolean {
    return this.occupancy === 0;
  }
}

export function skidBufferCycles(beats: number, idle?: CyclePattern, stall?: CyclePattern): StreamCycles {
  return runStream('skidBufferCycles', new SkidBuffer(), new Array<true>(beats).fill(true), beats, idle, stall);
}
