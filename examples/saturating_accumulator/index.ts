// The plugin: what `--plugin examples/saturating_accumulator/index.ts` (or $DCGEN_PLUGINS)
// registers with dcgen: the design (block.ts) and its cosimulation cases (cases.ts).
import { definePlugin } from '../../cli/plugins.ts';
import { satAccDesign } from './block.ts';
import { satAccCases } from './cases.ts';

export default definePlugin({ designs: [satAccDesign], cases: satAccCases });
