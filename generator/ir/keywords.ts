// The Verilog, SystemVerilog and C++ keywords a generated name must avoid: one definition, in
// generator/params/keywords.ts (plain data the parameter schemas use as well).
export { VERILOG_KEYWORDS } from '../params/keywords.ts';
