// The designs `dcgen list` prints and `dcgen generate` builds: name → params schema + builder.
import type { HwModule } from '../dsl/module.ts';
import type { Params, ParamsSchema } from '../params/schema.ts';

export interface DesignDef<S extends ParamsSchema = ParamsSchema> {
  /** `<family>.<block>` for library blocks (`common.fifo`), or a design name (`ditto`). */
  name: string;
  description: string;
  params: S;
  /** Rules across parameters; throw ParamRuleError. Runs before `build`. */
  check?(p: Params<S>): void;
  build(p: Params<S>): HwModule;
}

export function defineDesign<S extends ParamsSchema>(d: DesignDef<S>): DesignDef<S> {
  return d;
}
