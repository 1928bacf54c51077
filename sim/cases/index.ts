// Every cosimulation case dcgen knows, for `dcgen regress` and the block tests. Each family
// of blocks contributes its list.
import type { CosimCase } from './case.ts';

const families: (() => Promise<CosimCase[]>)[] = [];

export async function allCases(): Promise<CosimCase[]> {
  const lists = await Promise.all(families.map((f) => f()));
  return lists.flat();
}
