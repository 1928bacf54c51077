// Lint matrix of the common blocks: each parameter point is resolved and checked against its
// design's schema, built, emitted, written to a temp folder and run through Verilator
// (-Wall), Icarus (-Wall) and Yosys (synth; check -assert; no latches), which must all pass.
// Points at the top of a range that Yosys takes too long on (its generic synth maps every
// adder to gates) run Verilator and Icarus only; each block also has one large point that goes
// through Yosys. The largest memories go through all three (the Yosys check keeps a memory as
// one $mem cell: eda/tools/lint.ts, yosysScript).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { DesignDef } from '../../../generator/designs/registry.ts';
import { designs } from '../../../generator/designs/index.ts';
import { adderTreeDesign } from '../../../generator/blocks/common/adder_tree.ts';
import { absDiffDesign } from '../../../generator/blocks/common/abs_diff.ts';
import { argminDesign } from '../../../generator/blocks/common/argmin.ts';
import { fifoDesign } from '../../../generator/blocks/common/fifo.ts';
import { skidBufferDesign } from '../../../generator/blocks/common/skid_buffer.ts';
import { sramDesign } from '../../../generator/blocks/common/sram.ts';
import { emitDesign, type ParamValue } from '../../../generator/emit/design.ts';
import { writeFilesAtomically } from '../../../generator/emit/write.ts';
import { ParamRangeError, ParamRuleError } from '../../../generator/params/schema.ts';
import { formatLintLine, lintDesign, type LintTool } from '../../../eda/tools/lint.ts';
import { requireTool } from '../../../eda/tools/which.ts';

const T = { timeout: 120_000 };
const NO_YOSYS: LintTool[] = ['verilator', 'iverilog'];

interface Point {
  design: DesignDef;
  params: Record<string, unknown>;
  /** Tools to run (default: all three). */
  tools?: LintTool[];
}

const p = (design: DesignDef, params: Record<string, unknown>, tools?: LintTool[]): Point => ({ design, params, tools });

const POINTS: Point[] = [
  // adder tree: n 1..256, width 1..64, stages 0..ceil(log2 n)+1
  p(adderTreeDesign, {}),
  p(adderTreeDesign, { n: 1, width: 1, signed: false, stages: 0 }),
  p(adderTreeDesign, { n: 1, width: 1, signed: true, stages: 1 }),
  p(adderTreeDesign, { n: 2, width: 64, signed: false, stages: 2 }),
  p(adderTreeDesign, { n: 5, width: 3, signed: true, stages: 4 }),
  p(adderTreeDesign, { n: 64, width: 32, signed: true, stages: 3 }),
  p(adderTreeDesign, { n: 256, width: 8, signed: false, stages: 4 }),
  p(adderTreeDesign, { n: 256, width: 64, signed: true, stages: 9 }, NO_YOSYS),
  p(adderTreeDesign, { n: 256, width: 64, signed: false, stages: 0 }, NO_YOSYS),
  // abs diff: width 1..32
  p(absDiffDesign, {}),
  p(absDiffDesign, { width: 1, signed: false, registered: false }),
  p(absDiffDesign, { width: 1, signed: true, registered: true }),
  p(absDiffDesign, { width: 32, signed: true, registered: false }),
  p(absDiffDesign, { width: 32, signed: false, registered: true }),
  // argmin: n 1..256, width 1..48, stages 0..ceil(log2 n)+1
  p(argminDesign, {}),
  p(argminDesign, { n: 1, width: 1, signed: false, stages: 0 }),
  p(argminDesign, { n: 1, width: 1, signed: true, stages: 1 }),
  p(argminDesign, { n: 2, width: 48, signed: true, stages: 2 }),
  p(argminDesign, { n: 3, width: 5, signed: false, stages: 3 }),
  p(argminDesign, { n: 64, width: 32, signed: true, stages: 3 }),
  p(argminDesign, { n: 256, width: 16, signed: false, stages: 4 }),
  p(argminDesign, { n: 256, width: 48, signed: true, stages: 9 }, NO_YOSYS),
  p(argminDesign, { n: 256, width: 48, signed: false, stages: 0 }, NO_YOSYS),
  // FIFO: depth 1..4096 (powers of two and not), width 1..512
  p(fifoDesign, {}),
  p(fifoDesign, { depth: 1, width: 1 }),
  p(fifoDesign, { depth: 1, width: 512 }),
  p(fifoDesign, { depth: 2, width: 1 }),
  p(fifoDesign, { depth: 3, width: 8 }),
  p(fifoDesign, { depth: 5, width: 512 }),
  p(fifoDesign, { depth: 1000, width: 4 }),
  p(fifoDesign, { depth: 4096, width: 512 }),
  p(fifoDesign, { depth: 4095, width: 1 }),
  // skid buffer: width 1..512
  p(skidBufferDesign, {}),
  p(skidBufferDesign, { width: 1 }),
  p(skidBufferDesign, { width: 512 }),
  // SRAM: depth 2..65536, width 1..512
  p(sramDesign, {}),
  p(sramDesign, { depth: 2, width: 1 }),
  p(sramDesign, { depth: 2, width: 512 }),
  p(sramDesign, { depth: 3, width: 7 }),
  p(sramDesign, { depth: 1024, width: 16 }),
  p(sramDesign, { depth: 65536, width: 512 }),
  p(sramDesign, { depth: 40000, width: 1 }),
];

const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'dcgen-common-lint-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

let seq = 0;
/** Resolve, check, build, emit and write one point; returns its folder. */
function emitPoint(design: DesignDef, overrides: Record<string, unknown>): string {
  const params = design.resolve(overrides);
  const top = design.build(params);
  const { files } = emitDesign(top, { design: design.name, params: params as Record<string, ParamValue> });
  const dir = path.join(tmpRoot, `${design.name.replace(/\W/g, '_')}_${seq++}`);
  writeFilesAtomically(dir, files);
  return dir;
}

const label = (pt: Point) => `${pt.design.name} ${JSON.stringify(pt.params)}${pt.tools ? ' (no yosys)' : ''}`;

describe('every common block is registered', () => {
  it('lists the six common blocks, adder tree first', () => {
    expect(designs.slice(0, 6).map((d) => d.name)).toEqual(['common.adder_tree', 'common.abs_diff', 'common.argmin', 'common.fifo', 'common.skid_buffer', 'common.sram']);
  });
  it('covers each registered common block in the matrix, at its defaults', () => {
    for (const d of designs.filter((x) => x.name.startsWith('common.'))) {
      expect(POINTS.some((pt) => pt.design === d && Object.keys(pt.params).length === 0), d.name).toBe(true);
    }
  });
});

describe.each(POINTS.map((pt) => [label(pt), pt] as const))('lint %s', (_name, pt) => {
  it('is clean under every tool', T, async () => {
      const dir = emitPoint(pt.design, pt.params);
      const results = await lintDesign(dir, pt.tools ? { tools: pt.tools } : {});
      expect(results.length).toBeGreaterThan(0);
      const failed = results.filter((r) => !r.ok);
      const report = failed.map((r) => [formatLintLine(r), ...r.messages.map((m) => `    ${m}`)].join('\n')).join('\n');
      expect(failed, `lint failures:\n${report}`).toEqual([]);
  });
});

describe('check rejects invalid parameter combinations', () => {
  const rejects = (d: DesignDef, overrides: Record<string, unknown>, cls: typeof ParamRuleError | typeof ParamRangeError) => {
    expect(() => d.resolve(overrides)).toThrow(cls);
  };

  it('adder tree: more register levels than ceil(log2 n) + 1', () => {
    rejects(adderTreeDesign, { n: 4, stages: 4 }, ParamRuleError);
    rejects(adderTreeDesign, { n: 1, stages: 2 }, ParamRuleError);
  });

  it('argmin: more register levels than ceil(log2 n) + 1', () => {
    rejects(argminDesign, { n: 1, stages: 2 }, ParamRuleError);
    rejects(argminDesign, { n: 8, stages: 5 }, ParamRuleError);
    rejects(argminDesign, { n: 256, stages: 10 }, ParamRangeError);
    expect(() => argminDesign.resolve({ n: 8, stages: 4 })).not.toThrow();
  });

  it('abs diff, FIFO, skid buffer, SRAM: no cross-parameter rule; ranges enforced by the schema', () => {
    const ok: [DesignDef, Record<string, unknown>][] = [
      [absDiffDesign, { width: 1, signed: true }],
      [absDiffDesign, { width: 32, signed: false, registered: false }],
      [fifoDesign, { depth: 1, width: 512 }],
      [fifoDesign, { depth: 4096, width: 1 }],
      [skidBufferDesign, { width: 512 }],
      [sramDesign, { depth: 2, width: 512 }],
      [sramDesign, { depth: 65536, width: 1 }],
    ];
    for (const [d, overrides] of ok) {
      expect(() => d.resolve(overrides)).not.toThrow();
    }
    rejects(absDiffDesign, { width: 33 }, ParamRangeError);
    rejects(fifoDesign, { depth: 0 }, ParamRangeError);
    rejects(fifoDesign, { depth: 4097 }, ParamRangeError);
    rejects(skidBufferDesign, { width: 513 }, ParamRangeError);
    rejects(sramDesign, { depth: 1 }, ParamRangeError);
    rejects(sramDesign, { depth: 65537 }, ParamRangeError);
    rejects(sramDesign, { width: 0 }, ParamRangeError);
  });
});

describe('SRAM inference', () => {
  it('a 256 x 16 bank is one Yosys memory with a registered read port, not 4096 flops', T, async () => {
      const dir = emitPoint(sramDesign, { depth: 256, width: 16 });
      const yosys = await requireTool('yosys');
      const statPath = path.join(dir, 'coarse_stat.json');
      // Stop before `fine`, where generic synth maps every memory to flops (no RAM library).
      // The bank is an instance of the memory module dcgen_mem_256x16_1r1w_r1 (its own file).
      const files = readFileSync(path.join(dir, 'common_sram.f'), 'utf8').trim().split('\n').map((f) => path.join(dir, f));
      expect(files.map((f) => path.basename(f))).toEqual(['dcgen_mem_256x16_1r1w_r1.v', 'common_sram.v']);
      const script = `read_verilog ${files.join(' ')}; synth -top common_sram -run begin:fine; tee -q -o ${statPath} stat -json`;
      const r = await execa(yosys, ['-q', '-p', script], { reject: false, all: true, env: { LC_ALL: 'C' } });
      expect(r.exitCode, String(r.all)).toBe(0);
      const stat = JSON.parse(readFileSync(statPath, 'utf8')) as { design: { num_cells_by_type: Record<string, number> } };
      const cells = stat.design.num_cells_by_type;
      expect(cells['$mem_v2']).toBe(1);
      const flops = Object.entries(cells).filter(([t]) => /dff/i.test(t)).reduce((s, [, n]) => s + n, 0);
      expect(flops, JSON.stringify(cells)).toBe(0); // the read register went into the memory's read port
  });
});
