// How the jitbf command ends a program early: --timeout and --max-steps, and SIGINT,
// SIGTERM and SIGHUP.
//
// A signal that arrives while a program runs asks the library to stop that run
// (jitbf::stop_current_run); the run then returns with its output flushed, and the mode
// that ran it calls exit_if_interrupted(), which prints "jitbf: interrupted by SIGINT" and
// ends the process by the signal itself, so the shell sees status 128+n (and a shell script
// looping over jitbf stops too). A signal that arrives when no program runs (reading the
// source, compiling) does the same at once.
#pragma once

#include "jitbf/jitbf.hpp"
#include "options.hpp"
#include "source.hpp"

namespace jitbf::cli {

// Installs the handlers for SIGINT, SIGTERM and SIGHUP, except those the process was
// started with ignored (nohup, a background job): they stay ignored.
void install_signal_handlers();

// After a run: if a signal asked it to stop, prints the message and dies of that signal.
void exit_if_interrupted();

// For --repl, after a run or a wait for a line: true when SIGINT asked it to stop, which is
// then forgotten (the session goes on); SIGTERM and SIGHUP end the process as above.
bool take_interrupt();

// The one-line report of a run that --timeout or --max-steps stopped, e.g.
// "jitbf: prog.b:3:4: stopped: time limit of 0.5 s reached (--timeout)".
void report_stop(const Cli& cli, const Source& src, RunStatus status, SourcePos pos);

}  // namespace jitbf::cli
