// Every design and library block dcgen can generate, in the order `dcgen list` prints them.
import { adderTreeDesign } from '../blocks/common/adder_tree.ts';
import type { DesignDef } from './registry.ts';

export const designs: readonly DesignDef[] = [adderTreeDesign];

export function findDesign(name: string): DesignDef | undefined {
  return designs.find((d) => d.name === name);
}
