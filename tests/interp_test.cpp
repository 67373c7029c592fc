// The interpreter, the reference semantics: every op (built by hand as IR where the parser
// never produces it), every cell width and EOF mode, the tape's bounds on both sides, and
// how output is buffered around input, faults and a closed pipe.
#include <doctest/doctest.h>

#include "sigpipe.hpp"

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <string>
#include <thread>
#include <unistd.h>

#include "interp.hpp"
#include "parse.hpp"
#include "pipe.hpp"
#include "opts_for.hpp"

namespace interp_test {

using namespace jitbf;

namespace {

Program ir(std::vector<Instr> code, std::vector<std::string> strings = {}) {
    Program p;
    p.code = std::move(code);
    p.strings = std::move(strings);
    relink(p);
    REQUIRE(verify(p) == "");
    return p;
}

Program bf(std::string_view src) {
    auto p = parse(src);
    REQUIRE(p);
    return std::move(*p);
}

struct Ran {
    RunResult r;
    std::string out;
    Tape tape;
};

Ran run(const Program& p, const Options& o, const std::string& input = {}) {
    auto tape = Tape::create(o.tape_cells, o.cell_bits);
    REQUIRE(tape);
    Ran ran{{}, {}, std::move(*tape)};
    auto in = Input::memory(input);
    auto out = Output::memory(&ran.out);
    ran.r = Interpreter(p, o).run(ran.tape, in, out);
    return ran;
}

std::uint32_t max_of(int bits) { return bits == 32 ? 0xffffffffu : (1u << bits) - 1; }

}  // namespace

TEST_CASE("add wraps modulo 2^bits in both directions at every width") {
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        // -1 at offset 1, +1 after it, and 2^bits - 1 + 2 at offset 2.
        Ran a = run(ir({instr(Op::Add, 1, 0xffffffff), instr(Op::Add, 2, max_of(bits)),
                        instr(Op::Add, 2, 2)}),
                    opts_for(bits));
        REQUIRE(a.r.status == RunStatus::Ok);
        CHECK(a.tape.cell(0) == 0);
        CHECK(a.tape.cell(1) == max_of(bits));
        CHECK(a.tape.cell(2) == 1);

        Ran b = run(bf("-+-->+[-]"), opts_for(bits));
        REQUIRE(b.r.status == RunStatus::Ok);
        CHECK(b.tape.cell(0) == max_of(bits) - 1);
        CHECK(b.tape.cell(1) == 0);
    }
}

TEST_CASE("set stores its value modulo 2^bits at its offset") {
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        Ran a = run(ir({instr(Op::Add, 3, 9), instr(Op::Set, 3, 300), instr(Op::Set, 1, -1),
                        instr(Op::Set, 2, (std::int64_t{1} << 32) + 5)}),
                    opts_for(bits));
        REQUIRE(a.r.status == RunStatus::Ok);
        CHECK(a.tape.cell(3) == 300 % (std::uint64_t{max_of(bits)} + 1));
        CHECK(a.tape.cell(1) == max_of(bits));
        CHECK(a.tape.cell(2) == 5);
    }
}

TEST_CASE("move shifts the cell every later offset is relative to") {
    Ran a = run(ir({instr(Op::Move, 0, 3), instr(Op::Add, 0, 1), instr(Op::Add, -2, 2),
                    instr(Op::Move, 0, -1), instr(Op::Add, 2, 4)}),
                opts_for(8));
    REQUIRE(a.r.status == RunStatus::Ok);
    CHECK(a.tape.cell(3) == 1);
    CHECK(a.tape.cell(1) == 2);
    CHECK(a.tape.cell(4) == 4);
    CHECK(a.tape.cell(0) == 0);
}

TEST_CASE("muladd adds the source cell times the factor, wrapping") {
    SUBCASE("8 bits") {
        Ran a = run(ir({instr(Op::Add, 0, 3), instr(Op::Add, 1, 10), instr(Op::MulAdd, 1, 100)}),
                    opts_for(8));
        CHECK(a.tape.cell(1) == (10 + 300) % 256);
        CHECK(a.tape.cell(0) == 3);
    }
    SUBCASE("16 bits, a product that overflows int16") {
        Ran a = run(ir({instr(Op::Add, 2, 300), instr(Op::Move, 0, 2), instr(Op::Add, -1, 10),
                        instr(Op::MulAdd, -1, 40000)}),
                    opts_for(16));
        CHECK(a.tape.cell(1) == (10 + 300u * 40000u) % 65536);
    }
    SUBCASE("32 bits, a negative factor") {
        Ran a =
            run(ir({instr(Op::Add, 0, 3), instr(Op::Add, 1, 10), instr(Op::MulAdd, 1, 0xfffffffe)}),
                opts_for(32));
        CHECK(a.tape.cell(1) == 4);
    }
    SUBCASE("a zero source leaves the target alone") {
        Ran a = run(ir({instr(Op::Add, 1, 10), instr(Op::MulAdd, 1, 7)}), opts_for(8));
        CHECK(a.tape.cell(1) == 10);
    }
}

TEST_CASE("scan moves by its stride until the cell it tests is zero") {
    SUBCASE("stride 1 from a non-zero cell") {
        Ran a = run(ir({instr(Op::Set, 0, 1), instr(Op::Set, 1, 1), instr(Op::Set, 2, 1),
                        instr(Op::Scan, 0, 1), instr(Op::Set, 0, 9)}),
                    opts_for(8));
        CHECK(a.tape.cell(3) == 9);
    }
    SUBCASE("stride 2 skips the cells between") {
        Ran a = run(ir({instr(Op::Set, 0, 1), instr(Op::Set, 1), instr(Op::Set, 2, 1),
                        instr(Op::Set, 3, 1), instr(Op::Scan, 0, 2), instr(Op::Set, 0, 9)}),
                    opts_for(8));
        CHECK(a.tape.cell(4) == 9);
        CHECK(a.tape.cell(1) == 0);
    }
    SUBCASE("negative stride, testing at an offset") {
        Ran a = run(ir({instr(Op::Set, 5, 1), instr(Op::Set, 4, 1), instr(Op::Move, 0, 6),
                        instr(Op::Scan, -1, -1), instr(Op::Set, -1, 9)}),
                    opts_for(8));
        CHECK(a.tape.cell(3) == 9);
    }
    SUBCASE("a zero cell does not move at all") {
        Ran a = run(ir({instr(Op::Move, 0, 2), instr(Op::Scan, 0, 5), instr(Op::Set, 0, 9)}),
                    opts_for(8));
        CHECK(a.tape.cell(2) == 9);
    }
}

TEST_CASE("in reads bytes 0..255 into the cell at its offset") {
    Ran a = run(ir({instr(Op::In, 1), instr(Op::In, 2), instr(Op::In, 3)}), opts_for(16),
                std::string("A\xff\0", 3));
    REQUIRE(a.r.status == RunStatus::Ok);
    CHECK(a.tape.cell(1) == 65);
    CHECK(a.tape.cell(2) == 255);
    CHECK(a.tape.cell(3) == 0);
}

TEST_CASE("at end of input, in follows the EOF mode at every width") {
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        // Cell 0 reads 'x' then EOF; cell 1 is 7 before reading EOF.
        const Program p = ir({instr(Op::In), instr(Op::In, 1), instr(Op::Set, 2, 7),
                              instr(Op::In, 2), instr(Op::Set, 3, 7), instr(Op::In, 3)});
        Ran unchanged = run(p, opts_for(bits, EofMode::Unchanged), "x");
        CHECK(unchanged.tape.cell(0) == 'x');
        CHECK(unchanged.tape.cell(1) == 0);
        CHECK(unchanged.tape.cell(2) == 7);
        CHECK(unchanged.tape.cell(3) == 7);
        Ran zero = run(p, opts_for(bits, EofMode::Zero), "x");
        CHECK(zero.tape.cell(0) == 'x');
        CHECK(zero.tape.cell(2) == 0);
        CHECK(zero.tape.cell(3) == 0);
        Ran minus = run(p, opts_for(bits, EofMode::MinusOne), "x");
        CHECK(minus.tape.cell(0) == 'x');
        CHECK(minus.tape.cell(1) == max_of(bits));
        CHECK(minus.tape.cell(2) == max_of(bits));
        CHECK(minus.tape.cell(3) == max_of(bits));
    }
}

TEST_CASE("out writes the low byte of the cell at its offset") {
    Ran a16 = run(ir({instr(Op::Set, 1, 0x141), instr(Op::Out, 1), instr(Op::Out)}), opts_for(16));
    CHECK(a16.out == std::string("A\0", 2));
    Ran a32 = run(ir({instr(Op::Set, 0, 0x12345678), instr(Op::Out)}), opts_for(32));
    CHECK(a32.out == "x");
    Ran a8 = run(bf("-.+.+."), opts_for(8));
    CHECK(a8.out == std::string("\xff\0\x01", 3));
}

TEST_CASE("outstr writes its string, NUL bytes included") {
    Ran a =
        run(ir({instr(Op::OutStr, 0, 1), instr(Op::Add, 0, 66), instr(Op::Out), instr(Op::OutStr)},
               {"one\n", std::string("t\0o", 3)}),
            opts_for(8));
    REQUIRE(a.r.status == RunStatus::Ok);
    CHECK(a.out == std::string("t\0oBone\n", 8));
}

TEST_CASE("check does nothing on the tape and fails off it") {
    Ran on = run(ir({instr(Op::Check, 63), instr(Op::Check), instr(Op::Add, 0, 1)}), opts_for(8));
    CHECK(on.r.status == RunStatus::Ok);
    CHECK(on.tape.cell(0) == 1);

    const Options o = opts_for(8, EofMode::Unchanged, 4096);
    Ran right = run(ir({instr(Op::Add, 0, 1), instr(Op::Check, 4096), instr(Op::Add, 0, 1)}), o);
    CHECK(right.r.status == RunStatus::RightOfTape);
    CHECK(right.r.op == 1);
    CHECK(right.tape.cell(0) == 1);

    Ran left = run(ir({instr(Op::Move, 0, 3), instr(Op::Check, -4), instr(Op::Add, 0, 1)}), o);
    CHECK(left.r.status == RunStatus::LeftOfTape);
    CHECK(left.r.op == 1);
}

TEST_CASE("an if runs its body once when the cell is non-zero, and skips it when zero") {
    // cell0 = first; if cell0 { out cell1 ('A'); cell1 += 1 }; cell0 = 0; the same if
    // again (skipped); out cell1.
    auto program = [](std::int64_t first) {
        return ir({instr(Op::Set, 0, first), instr(Op::Set, 1, 65), instr(Op::IfBegin),
                   instr(Op::Out, 1), instr(Op::Add, 1, 1), instr(Op::IfEnd), instr(Op::Set),
                   instr(Op::IfBegin), instr(Op::Out, 1), instr(Op::IfEnd), instr(Op::Out, 1)});
    };
    Ran zero = run(program(0), opts_for(8));
    CHECK(zero.out == "A");
    Ran two = run(program(2), opts_for(8));
    CHECK(two.out == "AB");
    CHECK(two.tape.cell(0) == 0);
}

TEST_CASE("loops test the cell at their offset on entry and on every return") {
    // Count cell 2 down from 3 while p stays put, moving out 'a'+i each time.
    const Program p =
        ir({instr(Op::Set, 2, 3), instr(Op::Set, 1, 'a'), instr(Op::LoopBegin, 2),
            instr(Op::Out, 1), instr(Op::Add, 1, 1), instr(Op::Add, 2, -1), instr(Op::LoopEnd, 2),
            instr(Op::LoopBegin, 2), instr(Op::Out), instr(Op::LoopEnd, 2)});
    Ran a = run(p, opts_for(8));
    REQUIRE(a.r.status == RunStatus::Ok);
    CHECK(a.out == "abc");
}

TEST_CASE("nested loops from source run as in any Brainfuck") {
    // 6 * 7 + 6 = 48 = '0', then print '0'..'9'.
    Ran a = run(bf("++++++[>+++++++<-]>++++++>++++++++++[<.+>-]"), opts_for(8));
    CHECK(a.out == "0123456789");
}

TEST_CASE("touching a cell left of cell 0 fails at the touching op") {
    SUBCASE("an add") {
        Program p = bf("+.<+");
        Ran a = run(p, opts_for(8));
        CHECK(a.r.status == RunStatus::LeftOfTape);
        REQUIRE(a.r.op < p.code.size());
        CHECK(p.code[a.r.op].op == Op::Add);
        CHECK(p.code[a.r.op].pos == SourcePos{1, 4});
        CHECK(a.out == "\x01");
    }
    SUBCASE("a loop test") {
        Program p = bf("<<[]");
        Ran a = run(p, opts_for(8));
        CHECK(a.r.status == RunStatus::LeftOfTape);
        CHECK(p.code[a.r.op].op == Op::LoopBegin);
    }
    SUBCASE("an output") {
        Program p = bf("<.");
        Ran a = run(p, opts_for(8));
        CHECK(a.r.status == RunStatus::LeftOfTape);
        CHECK(p.code[a.r.op].op == Op::Out);
        CHECK(a.out.empty());
    }
    SUBCASE("an input, even at end of input") {
        Program p = bf("+.<,");
        Ran a = run(p, opts_for(8));
        CHECK(a.r.status == RunStatus::LeftOfTape);
        CHECK(p.code[a.r.op].op == Op::In);
        CHECK(a.out == "\x01");
    }
    SUBCASE("the source cell of a muladd") {
        Program p = ir({instr(Op::Add, 0, 1), instr(Op::MulAdd, 0, 1, -1)});
        Ran a = run(p, opts_for(8));
        CHECK(a.r.status == RunStatus::LeftOfTape);
        CHECK(a.r.op == 1);
        CHECK(a.tape.cell(0) == 1);
    }
    SUBCASE("a scan that runs off the left end") {
        Program p = ir({instr(Op::Set, 0, 1), instr(Op::Set, 1, 1), instr(Op::Move, 0, 1),
                        instr(Op::Scan, 0, -1)});
        Ran a = run(p, opts_for(8));
        CHECK(a.r.status == RunStatus::LeftOfTape);
        CHECK(a.r.op == 3);
    }
}

TEST_CASE("touching a cell past the last one fails at the touching op") {
    SUBCASE("walking off the end in a loop") {
        // Tapes are whole pages: 100 cells of 16 bits become 2048.
        Program p = bf("+[>+]");
        Ran a = run(p, opts_for(16, EofMode::Unchanged, 100));
        CHECK(a.tape.cells() == 2048);
        CHECK(a.r.status == RunStatus::RightOfTape);
        REQUIRE(a.r.op < p.code.size());
        CHECK(p.code[a.r.op].op == Op::Add);
        CHECK(p.code[a.r.op].pos == SourcePos{1, 4});
        CHECK(a.tape.cell(2047) == 1);
    }
    SUBCASE("a scan that runs off the right end") {
        Ran s = run(ir({instr(Op::Set, 0, 1), instr(Op::Set, 4095, 1), instr(Op::Move, 0, 4095),
                        instr(Op::Scan, 0, 1)}),
                    opts_for(8, EofMode::Unchanged, 4096));
        CHECK(s.r.status == RunStatus::RightOfTape);
        CHECK(s.r.op == 3);
    }
    SUBCASE("the last cell itself is on the tape") {
        Ran a = run(ir({instr(Op::Move, 0, 4095), instr(Op::Add, 0, 1), instr(Op::Out)}),
                    opts_for(8, EofMode::Unchanged, 4096));
        CHECK(a.r.status == RunStatus::Ok);
        CHECK(a.tape.cell(4095) == 1);
    }
}

TEST_CASE("moving off the tape and back without touching is not an error") {
    Ran folded = run(bf("<>+<<x>>."), opts_for(8));
    CHECK(folded.r.status == RunStatus::Ok);
    CHECK(folded.out == "\x01");

    Ran ir_left =
        run(ir({instr(Op::Move, 0, -5), instr(Op::Move, 0, 5), instr(Op::Add, 0, 1)}), opts_for(8));
    CHECK(ir_left.r.status == RunStatus::Ok);
    CHECK(ir_left.tape.cell(0) == 1);

    Ran ir_right = run(ir({instr(Op::Move, 0, 100000), instr(Op::OutStr),
                           instr(Op::Move, 0, -99999), instr(Op::Add, 0, 1)},
                          {"s"}),
                       opts_for(8));
    CHECK(ir_right.r.status == RunStatus::Ok);
    CHECK(ir_right.out == "s");
    CHECK(ir_right.tape.cell(1) == 1);
}

TEST_CASE("output is flushed before the program waits for input") {
    // The "user" answers only after seeing the prompt: if the prompt stayed in the buffer
    // while the program read, the user would time out and say so.
    IgnoreSigpipe quiet;
    Pipe to_user, from_user;
    bool prompt_first = false;
    std::thread user([&] {
        pollfd pfd{to_user.fd[0], POLLIN, 0};
        char c = 0;
        if (poll(&pfd, 1, 5000) == 1 && ::read(to_user.fd[0], &c, 1) == 1 && c == '?')
            prompt_first = true;
        (void)!::write(from_user.fd[1], "Z", 1);
        from_user.close_write();
    });
    Program p = bf("+++[>+++++++++++++++++++++<-]>.,.");  // '?' is 63
    auto tape = Tape::create(64, 8);
    REQUIRE(tape);
    auto in = Input::fd(from_user.fd[0]);
    RunResult r;
    {
        auto out = Output::fd(to_user.fd[1]);
        r = Interpreter(p, opts_for(8)).run(*tape, in, out);
    }
    to_user.close_write();
    user.join();
    CHECK(r.status == RunStatus::Ok);
    CHECK(prompt_first);
    std::string rest(8, '\0');
    ssize_t n = ::read(to_user.fd[0], rest.data(), rest.size());
    REQUIRE(n >= 0);
    rest.resize(static_cast<std::size_t>(n));
    CHECK(rest == "Z");
}

TEST_CASE("a closed output pipe ends the run quietly with OutputClosed") {
    IgnoreSigpipe quiet;
    Pipe pipe_;
    pipe_.close_read();
    Program p = bf("+[.]");  // prints forever
    auto tape = Tape::create(64, 8);
    REQUIRE(tape);
    auto in = Input::none();
    auto out = Output::fd(pipe_.fd[1]);
    RunResult r = Interpreter(p, opts_for(8)).run(*tape, in, out);
    CHECK(r.status == RunStatus::OutputClosed);
    REQUIRE(r.op < p.code.size());
    CHECK(p.code[r.op].op == Op::Out);
    CHECK(out.closed());
    CHECK(out.error() == EPIPE);
}

TEST_CASE("a closed output pipe stops the run at the flush before input") {
    IgnoreSigpipe quiet;
    Pipe pipe_;
    pipe_.close_read();
    Program p = bf("+.,+++.");
    auto tape = Tape::create(64, 8);
    REQUIRE(tape);
    auto in = Input::memory("abc");
    auto out = Output::fd(pipe_.fd[1]);
    RunResult r = Interpreter(p, opts_for(8)).run(*tape, in, out);
    CHECK(r.status == RunStatus::OutputClosed);
    CHECK(p.code[r.op].op == Op::In);
    CHECK(in.get() == 'a');  // the program did not read
}

TEST_CASE("the step limit stops an endless loop at its back edge") {
    Options o = opts_for(8);
    o.step_limit = 1000;
    Program p = bf("+[]");
    Ran a = run(p, o);
    CHECK(a.r.status == RunStatus::StepLimit);
    CHECK(p.code[a.r.op].op == Op::LoopEnd);

    // 255 back edges fit in a budget of 1000.
    Ran ok = run(bf("-[-]"), o);
    CHECK(ok.r.status == RunStatus::Ok);
}

TEST_CASE("the step limit counts exactly across the chunks the stop checks use") {
    // `+[.]` prints once per iteration: N-1 back-edges taken, then the Nth stops the run,
    // so N bytes. The budget is counted in chunks of 65536 back-edges.
    Program p = bf("+[.]");
    for (std::uint64_t n : {1u, 2u, 65535u, 65536u, 65537u, 131072u, 3u * 65536u + 7u}) {
        CAPTURE(n);
        Options o = opts_for(8);
        o.step_limit = n;
        Ran a = run(p, o);
        CHECK(a.r.status == RunStatus::StepLimit);
        CHECK(a.out.size() == n);
    }
}

TEST_CASE("one interpreter runs the same program again on a fresh tape") {
    Program p = bf(",[.-]");
    Interpreter interp(p, opts_for(8));
    for (int i = 0; i < 2; ++i) {
        auto tape = Tape::create(64, 8);
        REQUIRE(tape);
        std::string got;
        auto in = Input::memory("\x03");
        auto out = Output::memory(&got);
        CHECK(interp.run(*tape, in, out).status == RunStatus::Ok);
        CHECK(got == "\x03\x02\x01");
    }
}

TEST_CASE("a loop that walks off the tape fails at its closing bracket") {
    // The decoder fuses a move with the loop end after it; the fault is still the end's.
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        // Cells 0..9 hold 1; from cell 9 the loop tests 6, 3, 0, then -3.
        Program p = bf("+>+>+>+>+>+>+>+>+>+[<<<]");
        Ran a = run(p, opts_for(bits));
        CHECK(a.r.status == RunStatus::LeftOfTape);
        REQUIRE(a.r.op < p.code.size());
        CHECK(p.code[a.r.op].op == Op::LoopEnd);
        CHECK(p.code[a.r.op].pos == SourcePos{1, 24});
    }
}

TEST_CASE("an if block's end is no op of its own: jumps past it land on what follows") {
    Program p = ir({instr(Op::IfBegin), instr(Op::Add, 0, 5), instr(Op::IfEnd), instr(Op::IfBegin),
                    instr(Op::IfEnd), instr(Op::Add, 1, 1), instr(Op::Out, 1)});
    Ran a = run(p, opts_for(8));
    CHECK(a.r.status == RunStatus::Ok);
    CHECK(a.out == "\x01");
    CHECK(a.tape.cell(0) == 0);
}

TEST_CASE("a multiply then a clear of its source acts as the two ops, faults included") {
    // The decoder fuses them; the clear can never fault, as the multiply read its cell.
    for (int bits : {8, 16, 32}) {
        CAPTURE(bits);
        Ran a = run(ir({instr(Op::Set, 1, 7), instr(Op::Set, 2, 2), instr(Op::MulAdd, 2, 3, 1),
                        instr(Op::Set, 1), instr(Op::Out, 1), instr(Op::Out, 2)}),
                    opts_for(bits));
        CHECK(a.r.status == RunStatus::Ok);
        CHECK(a.out == std::string("\x00\x17", 2));
        // A multiply into itself, then cleared.
        a = run(ir({instr(Op::Set, 0, 3), instr(Op::MulAdd, 0, 2), instr(Op::Set), instr(Op::Out)}),
                opts_for(bits));
        CHECK(a.out == std::string("\x00", 1));
        // Off the tape on either side: the multiply's fault.
        a = run(ir({instr(Op::OutStr), instr(Op::MulAdd, -1, 3), instr(Op::Set)}, {"x"}),
                opts_for(bits));
        CHECK(a.r.status == RunStatus::LeftOfTape);
        CHECK(a.r.op == 1);
        CHECK(a.out == "x");
        a = run(ir({instr(Op::Set, 0, 1), instr(Op::MulAdd, 100000, 3), instr(Op::Set)}),
                opts_for(bits));
        CHECK(a.r.status == RunStatus::RightOfTape);
        CHECK(a.r.op == 1);
        a = run(ir({instr(Op::MulAdd, 0, 3, -2), instr(Op::Set, -2)}), opts_for(bits));
        CHECK(a.r.status == RunStatus::LeftOfTape);
        CHECK(a.r.op == 0);
    }
}

}  // namespace interp_test
