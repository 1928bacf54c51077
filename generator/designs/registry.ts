// The designs `dcgen list` prints and `dcgen generate` builds: name → params schema + builder.
import type { HwModule } from '../dsl/module.ts';
import { type Params, type ParamsSchema, resolveParams } from '../params/schema.ts';

/** What a design's author writes (docs/new-block.md): `defineDesign` turns it into a DesignDef. */
export interface DesignSpec<S extends ParamsSchema = ParamsSchema> {
  /** `<family>.<block>` for library blocks (`common.fifo`), or a design name (`ditto`). */
  name: string;
  description: string;
  params: S;
  /** Rules across parameters; throw ParamRuleError. Runs before `build` (in `resolve`). */
  check?(p: Params<S>): void;
  build(p: Params<S>): HwModule;
}

export interface DesignDef<S extends ParamsSchema = ParamsSchema> extends DesignSpec<S> {
  /**
   * The one validated config: defaults overlaid with `overrides`, every value checked against
   * the schema (resolveParams: unknown names, types, ranges), then the cross-parameter `check`.
   * Call it on the design (`design.resolve(...)`): it reads the design's name, params and check.
   */
  resolve(this: DesignSpec<S>, overrides: Record<string, unknown>): Params<S>;
}

function resolveDesign<S extends ParamsSchema>(this: DesignSpec<S>, overrides: Record<string, unknown>): Params<S> {
  const p = resolveParams(this.name, this.params, overrides);
  this.check?.(p);
  return p;
}

/** The design `d` with `resolve` (validate a config: schema, then `check`). */
export function defineDesign<S extends ParamsSchema>(d: DesignSpec<S>): DesignDef<S> {
  return { ...d, resolve: resolveDesign };
}
