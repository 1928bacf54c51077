// Regression runs over the cosimulation cases (`dcgen regress`).
export { CaseSelectionError, type Selection, type SelectionResult, type Shard, globMatch, globToRegExp, parseShard, selectCases, shortCaseName } from './select.ts';
export { type CaseResult, type CaseStatus, type RegressEvents, type RegressOptions, type RegressResult, checkCaseWorkFolders, regressCase, runRegress } from './run.ts';
export { type JunitCase, type JunitInfo, junitCaseOf, junitDocument, junitXml, writeFileAtomic, xmlAttr, xmlText } from './junit.ts';
export { MergeInputError, type MergeOptions, type MergeResult, type RegressRunInfo, type ShardFile, caseKey, cosimCaseKey, mergeShardFiles, readShardFile, regressProperties, selectionDigest, shardSize } from './merge.ts';
export { formatTable, regressTable, resultWord, seconds, seedRange } from './report.ts';
export { cpuCount, runPool } from './pool.ts';
