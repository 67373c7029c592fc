// --trace and --watch (trace.hpp): formatting the lines, and keeping them in order with the
// program's output.
#include "debug/trace.hpp"

#include <algorithm>
#include <utility>

namespace jitbf::debug {

namespace {

// `s` padded with spaces to `width` characters, and one more to separate it.
std::string padded(std::string s, std::size_t width) {
    s.resize(std::max(s.size(), width), ' ');
    return s + " ";
}

// A run of `up` or `down` as the command and its length: "+3", "<2".
std::string signed_run(std::int64_t n, char up, char down) {
    std::string s(1, n < 0 ? down : up);
    s += std::to_string(n < 0 ? -static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n));
    return s;
}

}  // namespace

std::string op_text(const Instr& in) {
    // The parser's net change modulo 2^32, as the stepper reads it.
    if (in.op == Op::Add) return signed_run(static_cast<std::int32_t>(in.arg), '+', '-');
    if (in.op == Op::Move) return signed_run(in.arg, '>', '<');
    // The other ops of the -O0 IR as typed; whatever a pass made, by its name.
    if (const char typed = info(in.op).typed; typed && in.off == 0) return std::string(1, typed);
    return std::string(op_name(in.op));
}

Tracer::Tracer(const Program& prog, TraceWhat what, Output& program_out, Output& lines)
    : prog_(prog), what_(std::move(what)), program_out_(program_out), lines_(lines) {
    std::sort(what_.watch.begin(), what_.watch.end());
}

void Tracer::emit(const std::string& line) {
    if (out_pending_) {
        lines_.flush();
        program_out_.flush();
        out_pending_ = false;
    }
    lines_.write(line);
}

void Tracer::before_io(std::size_t op) {
    // A read may wait: what led to it must show first. The program's output flushes next.
    lines_.flush();
    if (prog_.code[op].op != Op::In) out_pending_ = true;
}

void Tracer::after(const Step& s) {
    const Instr& in = prog_.code[s.op];
    if (what_.trace) {
        std::string line = "trace " + padded(to_string(in.pos), 7) + padded(op_text(in), 5) +
                           padded("p=" + std::to_string(s.p), 7);
        line += s.on_tape ? "cell=" + std::to_string(s.value) : "(off the tape)";
        if (s.at_eof) line += " (end of input)";
        emit(line + "\n");
    }
    if (s.wrote && s.old_value != s.new_value &&
        std::binary_search(what_.watch.begin(), what_.watch.end(),
                           static_cast<std::uint64_t>(s.cell)))
        emit("watch cell " + std::to_string(s.cell) + ": " + std::to_string(s.old_value) + " -> " +
             std::to_string(s.new_value) + " at " + to_string(in.pos) + " (" + op_text(in) + ")\n");
}

void Tracer::ending() { lines_.flush(); }

}  // namespace jitbf::debug
