// Parameter schemas: each design declares its parameters with defaults and allowed ranges;
// values from `--set`, a config file or code are validated here before anything is built.
import { DcgenError } from '../errors.ts';
import { VERILOG_KEYWORDS } from './keywords.ts';
import { decimalIntOf, isPlainDecimal, plainDecimalRule, quoteValue } from './decimal.ts';

export interface IntParam {
  kind: 'int';
  default: number;
  min: number;
  max: number;
  doc: string;
}
export interface BoolParam {
  kind: 'bool';
  default: boolean;
  doc: string;
}
export interface EnumParam<T extends string = string> {
  kind: 'enum';
  default: T;
  values: readonly T[];
  doc: string;
}
/** A Verilog identifier (a module-name prefix, say): checked so nothing can be injected. */
export interface IdentParam {
  kind: 'ident';
  default: string;
  doc: string;
}
export type ParamSpec = IntParam | BoolParam | EnumParam | IdentParam;
export type ParamsSchema = Record<string, ParamSpec>;

export type ParamValueOf<P extends ParamSpec> = P extends IntParam ? number : P extends BoolParam ? boolean : P extends EnumParam<infer T> ? T : string;
export type Params<S extends ParamsSchema> = { readonly [K in keyof S]: ParamValueOf<S[K]> };

export function int(o: Omit<IntParam, 'kind'>): IntParam {
  return { kind: 'int', ...o };
}
export function bool(o: Omit<BoolParam, 'kind'>): BoolParam {
  return { kind: 'bool', ...o };
}
export function oneOf<T extends string>(values: readonly T[], o: { default: T; doc: string }): EnumParam<T> {
  return { kind: 'enum', values, ...o };
}
export function ident(o: Omit<IdentParam, 'kind'>): IdentParam {
  return { kind: 'ident', ...o };
}

export abstract class ParamError extends DcgenError {}

export class UnknownParamError extends ParamError {
  constructor(design: string, name: string, known: string[]) {
    super(`design '${design}': unknown parameter '${name}'; expected one of: ${known.join(', ') || '(none)'}`);
  }
}
export class ParamTypeError extends ParamError {
  constructor(design: string, name: string, value: unknown, expected: string) {
    super(`design '${design}', parameter '${name}': expected ${expected}, found ${JSON.stringify(value)}`);
  }
}
export class ParamRangeError extends ParamError {
  constructor(design: string, name: string, value: number, min: number, max: number) {
    super(`design '${design}', parameter '${name}': expected an integer from ${min} to ${max}, found ${value}`);
  }
}
/** A rule across parameters (`rule` says it in words). */
export class ParamRuleError extends ParamError {
  constructor(design: string, name: string, value: unknown, rule: string) {
    super(`design '${design}', parameter '${name}' = ${JSON.stringify(value)}: ${rule}`);
  }
}
export class SetSyntaxError extends ParamError {
  constructor(arg: string, option = '--set') {
    super(`${option} ${quoteValue(arg)}: expected name=value (name a parameter, value a number, true/false or a word)`);
  }
}
/** One parameter given two values (`--set a=1 --set a=2`): which one was meant is not guessed. */
export class ParamGivenTwiceError extends ParamError {
  constructor(name: string, option: string, first: string, second: string) {
    super(`${option}: parameter '${name}' given twice (${quoteValue(first)} and ${quoteValue(second)}); give each parameter once`);
  }
}

const IDENT = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function parseValue(design: string, name: string, spec: ParamSpec, raw: unknown): number | boolean | string {
  switch (spec.kind) {
    case 'int': {
      let v: number;
      if (typeof raw === 'number') v = raw + 0; // -0 is 0
      else if (typeof raw === 'string') {
        // From --set, --vary or a string in a config: plain decimal only (generator/params/decimal.ts).
        const d = decimalIntOf(raw);
        if (d === undefined) {
          const rule = isPlainDecimal(raw) ? `an integer from ${spec.min} to ${spec.max}` : /[0-9]/.test(raw) ? `an integer in ${plainDecimalRule(spec.min)}` : 'an integer';
          throw new ParamTypeError(design, name, raw, rule);
        }
        v = d;
      } else throw new ParamTypeError(design, name, raw, 'an integer');
      if (!Number.isSafeInteger(v)) throw new ParamTypeError(design, name, raw, 'an integer');
      if (v < spec.min || v > spec.max) throw new ParamRangeError(design, name, v, spec.min, spec.max);
      return v;
    }
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new ParamTypeError(design, name, raw, 'true or false');
    case 'enum':
      if (typeof raw === 'string' && spec.values.includes(raw)) return raw;
      throw new ParamTypeError(design, name, raw, `one of ${spec.values.join(', ')}`);
    case 'ident':
      if (typeof raw === 'string' && IDENT.test(raw) && !VERILOG_KEYWORDS.has(raw)) return raw;
      throw new ParamTypeError(design, name, raw, 'a Verilog identifier: a letter then letters, digits or _, at most 64 characters, not a keyword');
  }
}

/** Defaults overlaid with `overrides`, every value checked against the schema. */
export function resolveParams<S extends ParamsSchema>(design: string, schema: S, overrides: Record<string, unknown>): Params<S> {
  const out: Record<string, number | boolean | string> = {};
  for (const name of Object.keys(overrides)) {
    if (!Object.hasOwn(schema, name)) throw new UnknownParamError(design, name, Object.keys(schema));
  }
  for (const [name, spec] of Object.entries(schema)) {
    out[name] = Object.hasOwn(overrides, name) ? parseValue(design, name, spec, overrides[name]) : spec.default;
  }
  return out as Params<S>;
}

/** `["depth=4", "width=8"]` → `{ depth: "4", width: "8" }`; a parameter named twice is an error. */
export function parseSetArgs(args: string[], option = '--set'): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const a of args) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
    if (!m || m[2] === '') throw new SetSyntaxError(a, option);
    if (Object.hasOwn(out, m[1])) throw new ParamGivenTwiceError(m[1], option, out[m[1]], m[2]);
    out[m[1]] = m[2];
  }
  return { ...out };
}
