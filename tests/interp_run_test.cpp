// The interpreter as a run, not op by op: a touch off either end of the tape stops it at
// the touching op with the output before it kept, moving off and back is no error, output is
// flushed before input and a closed pipe ends the run quietly, the step limit stops it at
// a back-edge, and one interpreter runs a program again on a fresh tape.
#include <doctest/doctest.h>

#include "sigpipe.hpp"

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <string>
#include <thread>
#include <unistd.h>

#include "interp_test_util.hpp"
#include "opts_for.hpp"
#include "pipe.hpp"

namespace interp_run_test {

using namespace jitbf;
using namespace jitbf::interp_test_util;

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

}  // namespace interp_run_test
