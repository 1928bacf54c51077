// What a harness build compiles once (the header of build.ts says why): the Verilator control
// file (dcgen.vlt: repeated modules `no_inline`, their inputs `public`) and the modules
// verilated alone as libraries (--lib-create), read from the generated Verilog text.
//
// LIBRARY RULE. Walking the hierarchy from the top, parents before children, each module's
// instances in the main build are counted (elaborated: a module instanced 4 times in a module
// instanced 64 times has 256; instances inside a library do not count, the main build does not
// see them). A module other than the top becomes a library when
//   (1) it has at least 2 instances there, and instances × leaf instances in its subtree (a
//       leaf counts as one) >= LIB_MIN_INSTANCES (DCGEN_VERILATOR_LIB_MIN overrides it): the
//       per-instance work a library saves (Verilator schedules and emits every instance's
//       logic, g++ compiles the glue), against the fixed cost of one more Verilator run; and
//   (2) no module has LIB_INSIDE_MAX instances or more inside one instance of it (fixed, not
//       overridden): a library is verilated with dcgen.vlt's rules alone (no library inside a
//       library), which copes with tens of instances of a module (a row of 64 PEs: 6-10 s) but
//       not with thousands; otherwise its children are considered instead.
// A leaf instanced >= 128 times is a library (as before the rule knew subtrees); the row of a
// 64 x 64 ditto.compute (64 instances, 64 PEs + 4 memory copies each) is one, and the 4096 PEs
// and 256 memory copies inside the rows then belong to the row library's own build.
//
// A library's build gets a control file of its own for the modules repeated inside it; the
// main build's control file names the modules it sees: a library as `no_inline` only (its
// wrapper holds no logic to share, and public inputs would add a symbol table entry per
// instance and input: 12 MB of C++ more at 4096 PE instances).
import type { SimDesign } from '../cosim/design.ts';

export type DesignText = Pick<SimDesign, 'manifest' | 'sources'>;

/**
 * Instanced at least this many times (times the leaf instances below, see the header), a module
 * is built as its own library; DCGEN_VERILATOR_LIB_MIN overrides it (2: every repeated module
 * whose inside allows it, to test the path on small designs).
 */
export const LIB_MIN_INSTANCES = 128;

/** A module with this many instances inside one instance of a candidate keeps it from being a library (rule (2)). */
export const LIB_INSIDE_MAX = 128;

export function libMinInstances(): number {
  const v = Number(process.env.DCGEN_VERILATOR_LIB_MIN);
  return Number.isInteger(v) && v >= 2 ? v : LIB_MIN_INSTANCES;
}

/**
 * An instance line of the generated Verilog (templates/verilog/module.v.hbs: two spaces, the
 * module, the instance name, `(`, perhaps a `// dsl:` comment); declarations and statements
 * never have this shape (`wire [..] x;`, `assign x = ...`, `always @(...)`).
 */
const INSTANCE_LINE = /^ {2}([A-Za-z_][A-Za-z0-9_$]*) ([A-Za-z_][A-Za-z0-9_$]*) \(/gm;

export interface InstanceGraph {
  top: string;
  /** Per module of the design: child module → instance lines of it in the module's text. */
  children: Map<string, Map<string, number>>;
  /** Module name → its source file (as in the filelist). */
  file: Map<string, string>;
  /** Source files in filelist order. */
  files: string[];
}

/** The instance graph of `design`, read from the generated text. */
export function instanceGraph(design: DesignText): InstanceGraph {
  const file = new Map(design.manifest.modules.map((m) => [m.name, m.file]));
  const byFile = new Map(design.manifest.modules.map((m) => [m.file, m.name]));
  const children = new Map<string, Map<string, number>>(design.manifest.modules.map((m) => [m.name, new Map()]));
  for (const s of design.sources) {
    const parent = byFile.get(s.name);
    if (!parent) continue;
    const kids = children.get(parent)!;
    for (const m of s.text.matchAll(INSTANCE_LINE)) if (file.has(m[1])) kids.set(m[1], (kids.get(m[1]) ?? 0) + 1);
  }
  return { top: design.manifest.top, children, file, files: design.sources.map((s) => s.name) };
}

/** `root` and the modules below it, parents before children (reverse post-order). */
function topoOrder(g: InstanceGraph, root: string): string[] {
  const seen = new Set<string>();
  const post: string[] = [];
  const visit = (m: string) => {
    if (seen.has(m)) return;
    seen.add(m);
    for (const c of g.children.get(m)?.keys() ?? []) visit(c);
    post.push(m);
  };
  visit(root);
  return post.reverse();
}

/** Elaborated instances of every module below one instance of `root` (`root` itself: 1), not looking inside `libs`. */
function elaborated(g: InstanceGraph, root: string, libs: ReadonlySet<string> = new Set()): Map<string, number> {
  const count = new Map([[root, 1]]);
  for (const m of topoOrder(g, root)) {
    const n = count.get(m) ?? 0;
    if (n === 0 || (m !== root && libs.has(m))) continue;
    for (const [c, k] of g.children.get(m) ?? []) count.set(c, (count.get(c) ?? 0) + n * k);
  }
  return count;
}

/** Leaf instances in the subtree of one instance of `m` (a leaf: 1). */
function leafInstances(g: InstanceGraph, m: string, memo = new Map<string, number>()): number {
  let n = memo.get(m);
  if (n !== undefined) return n;
  const kids = g.children.get(m) ?? new Map<string, number>();
  n = kids.size === 0 ? 1 : [...kids].reduce((s, [c, k]) => s + k * leafInstances(g, c, memo), 0);
  memo.set(m, n);
  return n;
}

/** The modules built as libraries (the rule of the header), in hierarchy order (parents first). */
export function chooseLibraries(g: InstanceGraph, min = libMinInstances()): string[] {
  const libs: string[] = [];
  const count = new Map([[g.top, 1]]);
  const memo = new Map<string, number>();
  for (const m of topoOrder(g, g.top)) {
    const n = count.get(m) ?? 0;
    if (n === 0) continue;
    if (m !== g.top && n >= 2 && n * leafInstances(g, m, memo) >= min) {
      const inside = elaborated(g, m);
      inside.delete(m);
      if (Math.max(0, ...inside.values()) < LIB_INSIDE_MAX) {
        libs.push(m);
        continue;
      }
    }
    for (const [c, k] of g.children.get(m) ?? []) count.set(c, (count.get(c) ?? 0) + n * k);
  }
  return libs;
}

/** One Verilator build: its top, its source files (filelist order), the libraries it reads as wrappers, its control file. */
export interface BuildUnit {
  top: string;
  /** Source files of the modules this build verilates (not those inside its libraries). */
  files: string[];
  /** Libraries instanced in this build (their wrappers are read instead of their sources). */
  libraries: string[];
  /** Modules instanced more than once in this build (counted in the sources it reads): `no_inline`. */
  repeated: string[];
  /** The control file, '' when no module repeats. */
  control: string;
}

export interface BuildPlan {
  /** The libraries, each verilated alone with --lib-create (no library inside one). */
  libraries: BuildUnit[];
  main: BuildUnit;
}

/** The modules the build of `root` verilates: `root` and below, not below a library of `libs`. */
function unitModules(g: InstanceGraph, root: string, libs: ReadonlySet<string>): Set<string> {
  return new Set([...elaborated(g, root, libs)].filter(([m, n]) => n > 0 && (m === root || !libs.has(m))).map(([m]) => m));
}

function unit(design: DesignText, g: InstanceGraph, root: string, libs: ReadonlySet<string>): BuildUnit {
  const mods = unitModules(g, root, libs);
  // instance lines in the texts this build reads (a module repeated inside a library's text does not count here)
  const lines = new Map<string, number>();
  for (const p of mods) for (const [c, k] of g.children.get(p) ?? []) lines.set(c, (lines.get(c) ?? 0) + k);
  const used = new Set([...lines.keys()]);
  const libraries = [...used].filter((m) => libs.has(m)).sort();
  const repeated = [...lines].filter(([, n]) => n > 1).map(([m]) => m).sort();
  const files = g.files.filter((f) => [...mods].some((m) => g.file.get(m) === f));
  return { top: root, files, libraries, repeated, control: controlText(design, repeated, new Set(libraries)) };
}

/**
 * The control file for a build whose repeated modules are `repeated` (see the header), or ''
 * when none repeats. A library gets `no_inline` only.
 */
function controlText(design: DesignText, repeated: string[], libs: ReadonlySet<string>): string {
  if (repeated.length === 0) return '';
  const lines = ['`verilator_config', '// dcgen: modules instanced more than once are compiled once (sim/verilator/build.ts)'];
  for (const name of repeated) {
    lines.push(`no_inline -module "${name}"`);
    if (libs.has(name)) continue;
    const mod = design.manifest.modules.find((m) => m.name === name)!;
    // clk and rst are the top's own in every instance (nothing per instance to fold in); a
    // public clock would only make Verilator schedule it as written from outside
    const clocked = mod.hasClock ? new Set(['clk', 'rst']) : new Set<string>();
    for (const p of mod.ports) if (p.direction === 'input' && !clocked.has(p.name)) lines.push(`public -module "${name}" -var "${p.name}"`);
  }
  return lines.join('\n') + '\n';
}

/** The builds of a harness: the libraries (none for trace builds: a library's inside cannot be traced) and the main build. */
export function buildPlan(design: DesignText, trace = false): BuildPlan {
  const g = instanceGraph(design);
  const libs = trace ? [] : chooseLibraries(g);
  const set = new Set(libs);
  return { libraries: libs.map((l) => unit(design, g, l, new Set())), main: unit(design, g, g.top, set) };
}
