// Binary stimulus and response files shared by the Verilator harness and the Icarus testbench.
//
// Every file is a sequence of little-endian unsigned 32-bit words. A value of a `w`-bit port
// takes ceil(w/32) words, least significant word first, holding the value's low `w` bits
// (two's complement for signed ports; bits above `w` are zero). Port order and offsets come
// from the module's Layout (sim/stimulus/layout.ts); its 32-bit hash is in every header so
// that a file is never read against the wrong harness.
//
// This module describes the format and is the one import point for its code: the types,
// constants and reference value conversions (core.ts); stimulus encoding, chunked straight to
// the file (encode.ts); response decoding, chunked into typed-array columns (response.ts). Both
// run through per-layout compiled record codecs (codec.ts) that fall back to the reference
// conversions for anything outside their fast paths.
//
// Stimulus file (written by TS, read by the harness and the testbench):
//   word 0   magic 0x53474344 ("DCGS" as bytes)
//   word 1   version (1)
//   word 2   layout hash
//   word 3   number of input streams  S_in   (must match the layout)
//   word 4   number of output streams S_out  (must match the layout)
//   word 5   words per table row R           (must match the layout)
//   word 6   number of table rows N
//   word 7   reserved (0)
//   for each input stream, layout order:  B (beats), W (words per beat), then B*W words
//   for each input stream, layout order:  idle schedule
//   for each output stream, layout order: stall schedule
//   N*R words: the table (row k drives the non-stream inputs in cycle k; the last row is held)
//   trailer 0x444e4544 ("DEND" as bytes)
// A schedule is L (its length in cycles, 0 = never), then ceil(L/32) words of bits: bit
// (c mod L) — bit i is bit (i mod 32) of word floor(i/32) — set means: input stream idle in
// cycle c (no new beat may start; a beat already offered stays offered), or output stream not
// ready in cycle c. Schedules are computed in TS from the stall probabilities and the seed,
// so both simulators see exactly the same pattern.
//
// Response file (written by the Verilator harness; the Icarus testbench writes the same
// records as text, see sim/icarus/run.ts):
//   word 0   magic 0x52474344 ("DCGR" as bytes)
//   word 1   version (1)
//   word 2   layout hash
//   words 3-5  S_in, S_out, sample words;  words 6-7 reserved (0)
//   records, in simulation order: tag (kind << 24 | stream index), cycle, payload
//     kind 1  output-stream transaction: the beat's words (layout order of the fields)
//     kind 2  input-stream beat accepted (valid && ready), no payload
//     kind 5  a run of input-stream beats accepted in consecutive cycles: payload one word, the
//             number of beats n (1..2^24), accepted in cycles cycle .. cycle+n-1. The harness
//             writes runs (one record per back-to-back burst, when the run ends) instead of
//             kind 2, so a stream that takes a beat every cycle costs one record, not one per
//             beat; readers accept both
//     kind 3  sample of the non-stream outputs: sample-words words
//     kind 4  protocol violation by an output stream (it offered a beat while ready was low
//             in the previous cycle, and now): payload one word, 1 = valid withdrawn,
//             2 = payload changed
//     kind 15 end: cycle = cycles run after reset (incl. drain cycles); payload two words:
//             status (0 = done, 1 = cycle limit reached) and the cycle in which everything
//             was complete (all beats accepted, all expected outputs received, all table
//             rows applied), or the limit
// Within a cycle the order is: per output stream its violation then its transaction,
// accepted beats, the sample (a kind-5 run is written later, when it ends, and before the end
// record; records of one stream stay in cycle order).
//
// The cycle protocol (identical in the Verilator harness and the Icarus testbench):
//   * Every input is 0 to begin with. A clocked module (hasClock) then gets RESET_CYCLES (4)
//     rising edges with rst high, every valid and ready low and every other input 0. Cycle 0
//     is the first cycle after that; a module without clk/rst starts at cycle 0 directly.
//   * In cycle c, with clk low: each input stream that is not offering a beat, has beats left
//     and is not idle in c (schedule) starts offering its next beat (fields set, valid high);
//     a beat on offer stays on offer with its payload unchanged until accepted. When not
//     offering, valid is low and the fields keep the last beat. Each output stream's ready is
//     low iff its stall schedule is set in c. Table row c (if c < N) drives the non-stream
//     inputs; after the last row they keep its values.
//   * The model is evaluated; then valid && ready of each output stream records a
//     transaction, of each input stream an accepted beat; with sampling on, the non-stream
//     outputs are recorded. Then the rising edge (clocked modules) and c+1.
//   * Before cycle c the run is complete when every input beat has been accepted, every
//     output stream has its expected count, c >= N and c >= the minimum cycle count; it then
//     runs `drain` more cycles (recording any extra outputs) and ends. Reaching the cycle
//     limit first ends it with status 1 (the harness names the stalled interfaces).
export * from './core.ts';
export { type DecodedStimulus, type WordSink, decodeStimulus, encodeStimulus, encodeStimulusTo, writeStimulusFile } from './encode.ts';
export { type RecordColumns, type ResponseColumns, ResponseDecoder, decodeResponse, decodeResponseFile, responseColumns } from './response.ts';
