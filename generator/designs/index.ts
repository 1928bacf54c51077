// Every design and library block dcgen can generate, in the order `dcgen list` prints them.
import { adderTreeDesign } from '../blocks/common/adder_tree.ts';
import { absDiffDesign } from '../blocks/common/abs_diff.ts';
import { argminDesign } from '../blocks/common/argmin.ts';
import { fifoDesign } from '../blocks/common/fifo.ts';
import { skidBufferDesign } from '../blocks/common/skid_buffer.ts';
import { sramDesign } from '../blocks/common/sram.ts';
import { dittoComputeDesign } from '../blocks/ditto/compute.ts';
import { dittoDefoDesign } from '../blocks/ditto/defo.ts';
import { dittoEncoderDesign } from '../blocks/ditto/encoder.ts';
import { dittoPeDesign } from '../blocks/ditto/pe.ts';
import { dittoPeA8w8Design } from '../blocks/ditto/pe_a8w8.ts';
import { dittoTopDesign } from '../blocks/ditto/top.ts';
import { dittoVpuDesign } from '../blocks/ditto/vpu.ts';
import { cmcRecoveryDesign } from '../blocks/cmc/recovery.ts';
import { cmcSadDesign } from '../blocks/cmc/sad.ts';
import { cmcSearchDesign } from '../blocks/cmc/search.ts';
import { cmcGemmDesign } from '../blocks/cmc/gemm.ts';
import { cmcTopDesign } from '../blocks/cmc/top.ts';
import { DcgenError } from '../errors.ts';
import { type DesignDef, type DesignSpec, defineDesign } from './registry.ts';
import type { ParamsSchema } from '../params/schema.ts';

const registered: DesignDef[] = [adderTreeDesign, absDiffDesign, argminDesign, fifoDesign, skidBufferDesign, sramDesign, dittoEncoderDesign, dittoPeDesign, dittoPeA8w8Design, dittoComputeDesign, dittoVpuDesign, dittoDefoDesign, dittoTopDesign, cmcSadDesign, cmcSearchDesign, cmcRecoveryDesign, cmcGemmDesign, cmcTopDesign];

/** The built-in designs, then those added with `registerDesign` (a live view: it grows with them). */
export const designs: readonly DesignDef[] = registered;

export function findDesign(name: string): DesignDef | undefined {
  return designs.find((d) => d.name === name);
}

/** A design that cannot be added to the registry (a bad or taken name, a malformed definition). */
export class DesignRegistrationError extends DcgenError {}

/** Design names: dot-separated identifiers (`common.fifo`, `<family>.<block>`); they name folders and cases. */
export const DESIGN_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/**
 * Add an out-of-tree design (docs/new-block.md): `dcgen list`, `generate`, `lint`, `synth`,
 * `sweep`, `start` and the cases of `regress` and `mutate` then find it by name. The CLI calls
 * this for every design of a `--plugin` module (cli/plugins.ts). A definition without `resolve`
 * (not made by defineDesign) is registered as `defineDesign(def)`; the one registered is returned.
 */
export function registerDesign<S extends ParamsSchema>(spec: DesignSpec<S>): DesignDef<S> {
  const def: DesignSpec<S> & { resolve?: unknown } = spec;
  const name: unknown = (def as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || !DESIGN_NAME.test(name)) {
    throw new DesignRegistrationError(`design name ${JSON.stringify(name)}: expected dot-separated identifiers (letters, digits, _), e.g. '<family>.<block>'`);
  }
  if (typeof def.build !== 'function' || typeof def.params !== 'object' || def.params === null || (def.check !== undefined && typeof def.check !== 'function') || (def.resolve !== undefined && typeof def.resolve !== 'function')) {
    throw new DesignRegistrationError(`design '${name}': expected { name, description, params, check?, build } (defineDesign in generator/designs/registry.ts)`);
  }
  if (findDesign(name)) throw new DesignRegistrationError(`design '${name}' is already registered; give the new one another name`);
  const full = typeof def.resolve === 'function' ? (def as DesignDef<S>) : defineDesign(def);
  registered.push(full as unknown as DesignDef);
  return full;
}
