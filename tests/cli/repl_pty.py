#!/usr/bin/env python3
"""CLI tests of --repl on a terminal: jitbf runs on a pseudo-terminal, as under a user.

    repl_pty.py JITBF SCENARIO [OPTION...]

One CTest test per scenario (tests/cli/CMakeLists.txt); the options go to jitbf. The
transcript is what the terminal shows: the prompts, the echo of what is typed, the
programs' output and what the session says, all in one stream. Each step waits for the
text it expects (a regular expression) and fails, showing the transcript, if it does not
come within a few seconds. Exits 0 when jitbf behaved, else 1.
"""
import os
import pty
import re
import select
import signal
import sys
import time

TIMEOUT = 10.0  # seconds per step; a loaded machine only makes steps slower


class Failed(Exception):
    pass


class Session:
    def __init__(self, argv):
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["TERM"] = "dumb"  # no escape sequences between the words we look for
            os.execv(argv[0], argv)
        self.pid, self.fd = pid, fd
        self.out = b""
        self.pos = 0  # where the next expect() starts looking
        self.status = None

    def read_some(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([self.fd], [], [], left)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not data:
            return False
        self.out += data
        return True

    def expect(self, pattern):
        """Waits for `pattern` after the last match; returns the match."""
        regex = re.compile(pattern.encode(), re.S)
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = regex.search(self.out, self.pos)
            if m:
                self.pos = m.end()
                return m
            if not self.read_some(deadline):
                raise Failed("expected %r" % pattern)

    def send(self, text):
        os.write(self.fd, text.encode("latin-1"))

    def line(self, text):
        """Types a line at the prompt, once the prompt is there."""
        self.expect(r"bf> |\.\.\. ")
        self.send(text + "\r")

    def wait(self):
        """Waits for jitbf to end; returns its exit status (128+n for signal n)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                if self.status < 0:
                    self.status = 128 - self.status
                return self.status
            self.read_some(time.monotonic() + 0.05)
        raise Failed("jitbf did not end")

    def close(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
        os.close(self.fd)


def check(cond, what):
    if not cond:
        raise Failed(what)


# --- scenarios: each drives one session ----------------------------------------------------

def persist(s):
    """A line sets cells, the next prints them: the tape and the pointer stay."""
    s.line("+++++++++[>++++++++<-]>")
    s.expect(r"p=1 +0:0 \[1:72 'H'\] 2:0")
    s.line(".+.")
    s.expect(r"HI\r?\n")
    s.expect(r"p=1 +0:0 \[1:73 'I'\]")
    s.line("<+++")
    s.expect(r"p=0 +\[0:3\] 1:73 'I'")


def multiline(s):
    """An open '[' waits for more lines; the loop then runs as one."""
    s.line("++++++++[")
    s.expect(r"\.\.\. ")
    s.send(">++++++++\r")
    s.expect(r"\.\.\. ")
    s.send("<-]>+.\r")
    s.expect(r"A\r?\n")
    s.expect(r"p=1 +\[?0:0\]? \[1:65 'A'\]")


def errors(s):
    """Errors keep the session: a cell off the tape, a stray ']' with its column."""
    s.line("++>+<<+")
    s.expect(r"repl:1:7: runtime error: cell -1 is off the tape")
    s.expect(r"p=0 +\[0:2\] 1:1")  # the cells as the line left them, pointer on cell 0
    s.line(">+<<<")
    s.expect(r"the line left the pointer on cell -2, off the tape: it is back on cell 0")
    s.expect(r"p=0 +\[0:2\] 1:2")
    s.line("+.]")
    s.expect(r"repl:1:3: error: unmatched '\]'\r?\n  \+\.\]\r?\n    \^")
    s.line("+")
    s.expect(r"p=0 +\[0:3\] 1:2")  # the dropped line did not run
    s.line("--->>>")
    s.expect(r"p=3 +0:0 1:2 2:0 \[3:0\]")


def reset(s):
    """:reset zeroes the tape and puts the pointer on cell 0."""
    s.line("+++>++")
    s.expect(r"p=1 +0:3 \[1:2\]")
    s.line(":reset")
    s.expect(r"p=0 +\[0:0\] 1:0")


def tape(s):
    """:tape N makes a new tape of N cells, rounded up to whole pages."""
    s.line("+++")
    s.line(":tape 10")
    s.expect(r"tape of 4096 cells\r?\np=0 +\[0:0\]")
    s.line("+[>+]")
    s.expect(r"runtime error: cell 4096 is off the tape, which ends at cell 4095")
    s.expect(r"p=4095 .*4094:1 \[4095:1\]\r?\n")
    s.line(":tape x")
    s.expect(r":tape needs a number of cells")


def help_(s):
    """:help says what the commands do and what errors leave."""
    s.line(":help")
    m = s.expect(r"Commands.*:reset.*:tape N.*:help.*:quit.*error.*session.*Ctrl-C.*','")
    s.line(":frob")
    s.expect(r"unknown command ':frob'")


def quit_(s):
    """:quit ends the session with status 0."""
    s.line("+")
    s.line(":quit")
    check(s.wait() == 0, "status %s after :quit" % s.status)


def ctrl_d(s):
    """Ctrl-D at the prompt ends the session with status 0."""
    s.line("+")
    s.expect(r"bf> ")
    time.sleep(0.3)  # as a user would; a key typed while the editor sets up the terminal can be lost
    s.send("\x04")
    check(s.wait() == 0, "status %s after Ctrl-D" % s.status)


def ctrl_c(s):
    """Ctrl-C stops a running line, and drops a line being typed; the session goes on."""
    s.line("+>+[]")
    time.sleep(0.3)
    s.send("\x03")
    s.expect(r"repl:1:\d+: stopped: interrupted \(Ctrl-C\)")
    s.expect(r"p=1 +0:1 \[1:1\]")
    s.expect(r"bf> ")
    s.send("+++++")
    time.sleep(0.2)
    s.send("\x03")
    s.line("+")
    s.expect(r"p=1 +0:1 \[1:2\]")  # the line typed before Ctrl-C did not run
    s.line(":quit")
    check(s.wait() == 0, "status %s after :quit" % s.status)


def input_(s):
    """',' reads the terminal a line at a time; the rest stays for the next ','."""
    def run_then_type(line, typed):
        s.line(line)
        s.expect(re.escape(line) + r"\r?\n")
        time.sleep(0.3)  # as a user would: the line runs, and ',' waits on the terminal
        s.send(typed)

    run_then_type(",.", "xy\r")
    s.expect(r"x")
    s.expect(r"p=0 +\[0:120 'x'\]")
    s.line(",.,")
    s.expect(r"p=0 +\[0:10\]")  # 'y', then the newline typed after it
    run_then_type(",", "\x04")  # the end of this line's input: --eof zero stores 0
    s.expect(r"p=0 +\[0:0\]")
    s.line("+")
    s.expect(r"p=0 +\[0:1\]")


SCENARIOS = {
    "persist": persist,
    "multiline": multiline,
    "errors": errors,
    "reset": reset,
    "tape": tape,
    "help": help_,
    "quit": quit_,
    "ctrl-d": ctrl_d,
    "ctrl-c": ctrl_c,
    "input": input_,
}


def main():
    jitbf, scenario = sys.argv[1], sys.argv[2]
    s = Session([jitbf, "--repl"] + sys.argv[3:])
    try:
        SCENARIOS[scenario](s)
    except Failed as e:
        s.read_some(time.monotonic() + 0.2)
        print("repl_pty.py %s: %s\n--- transcript ---\n%s" %
              (scenario, e, s.out.decode("latin-1")))
        return 1
    finally:
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
