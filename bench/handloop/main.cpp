// A minimal hand-written Verilator loop over the adder tree (generator/blocks/common/adder_tree.ts),
// the practical ceiling for the generated harness (templates/sim/harness.cpp.hbs) in
// bench/cosim.ts. Built by bench/cosim.ts with the harness's Verilator flags plus
// -CFLAGS -DHL_N=<n inputs> -DHL_SUM_BITS=<sum width>.
//
//   Vhand <stimulus file> [--load-only]
//
// Reads the same binary stimulus file as the harness (sim/stimulus/format.ts: one input stream
// `in` with n one-word fields per beat; its schedules are ignored: no idle, no stall), resets
// like the harness (4 rising edges with rst high), then per cycle: offers the next beat
// (valid = 1, fields set) unless one is on offer, ready = 1, clk low + eval, adds a finished
// output's sum to a checksum, takes the beat if in_ready, clk high + eval. Nothing is recorded
// besides the checksum. Stops when every beat was accepted and every sum received.
// Prints one JSON line: cycles, transactions, checksum (sum of the signed sums), loop_ns
// (the cycle loop only) and load_ns (reading the stimulus and building the model).
// --load-only stops after loading (to measure that part alone).
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "verilated.h"
#include "Vdut.h"

#ifndef HL_N
#error "build with -CFLAGS -DHL_N=<number of adder tree inputs>"
#endif
#ifndef HL_SUM_BITS
#error "build with -CFLAGS -DHL_SUM_BITS=<width of out_sum>"
#endif
static_assert(HL_N >= 1 && HL_N <= 8, "this loop drives up to 8 inputs");

namespace {

[[noreturn]] void die(const char* msg) {
    std::fprintf(stderr, "handloop: %s\n", msg);
    std::exit(2);
}

std::vector<uint32_t> readWords(const char* path) {
    FILE* f = std::fopen(path, "rb");
    if (!f) die("cannot open the stimulus file");
    std::fseek(f, 0, SEEK_END);
    const long n = std::ftell(f);
    std::fseek(f, 0, SEEK_SET);
    if (n < 0 || n % 4 != 0) die("the stimulus file is not a whole number of words");
    std::vector<uint32_t> w(static_cast<size_t>(n) / 4);
    // the file is little-endian, as is every machine this runs on
    if (std::fread(w.data(), 4, w.size(), f) != w.size()) die("short read");
    std::fclose(f);
    return w;
}

inline void drive(Vdut* top, const uint32_t* b) {
    top->in_x0 = b[0];
#if HL_N > 1
    top->in_x1 = b[1];
#endif
#if HL_N > 2
    top->in_x2 = b[2];
#endif
#if HL_N > 3
    top->in_x3 = b[3];
#endif
#if HL_N > 4
    top->in_x4 = b[4];
#endif
#if HL_N > 5
    top->in_x5 = b[5];
#endif
#if HL_N > 6
    top->in_x6 = b[6];
#endif
#if HL_N > 7
    top->in_x7 = b[7];
#endif
}

inline int64_t signedSum(uint64_t raw) {
    const uint64_t m = (uint64_t{1} << HL_SUM_BITS) - 1;
    const uint64_t v = raw & m;
    return (v >> (HL_SUM_BITS - 1)) ? static_cast<int64_t>(v) - static_cast<int64_t>(m) - 1 : static_cast<int64_t>(v);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) die("usage: Vhand <stimulus file> [--load-only]");
    const bool loadOnly = argc > 2 && std::string(argv[2]) == "--load-only";
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<uint32_t> w = readWords(argv[1]);
    // header: magic, version, layout hash, S_in, S_out, R, N, reserved; then stream 0: B, W, B*W words
    if (w.size() < 10 || w[0] != 0x53474344u || w[3] != 1 || w[4] != 1) die("not a stimulus file of a one-in, one-out stream module");
    const uint64_t beats = w[8];
    const uint32_t words = w[9];
    if (words != HL_N) die("words per beat differ from HL_N");
    if (w.size() < 10 + beats * words) die("stimulus file truncated");
    const uint32_t* data = w.data() + 10;

    const std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    const std::unique_ptr<Vdut> top{new Vdut{ctx.get(), "dut"}};
    top->in_valid = 0;
    top->out_ready = 0;
    top->rst = 1;
    for (int r = 0; r < 4; ++r) {
        top->clk = 0;
        top->eval();
        top->clk = 1;
        top->eval();
    }
    top->rst = 0;
    const auto t1 = std::chrono::steady_clock::now();

    uint64_t cycle = 0, next = 0, received = 0;
    int64_t checksum = 0;
    bool offering = false;
    while (!loadOnly && (next < beats || received < beats)) {
        if (!offering && next < beats) {
            offering = true;
            drive(top.get(), data + next * words);
        }
        top->in_valid = offering;
        top->out_ready = 1;
        top->clk = 0;
        top->eval();
        if (top->out_valid) {
            checksum += signedSum(top->out_sum);
            ++received;
        }
        if (offering && top->in_ready) {
            offering = false;
            ++next;
        }
        top->clk = 1;
        top->eval();
        ++cycle;
        if (cycle > 4 * beats + 1000) die("no progress (cycle limit)");
    }
    const auto t2 = std::chrono::steady_clock::now();
    top->final();
    const auto ns = [](auto a, auto b) { return static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count()); };
    std::printf("{\"cycles\": %" PRIu64 ", \"transactions\": %" PRIu64 ", \"checksum\": %" PRId64 ", \"loop_ns\": %lld, \"load_ns\": %lld}\n", cycle, received, checksum, ns(t1, t2), ns(t0, t1));
    return 0;
}
