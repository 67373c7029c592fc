#!/bin/sh
# CLI tests of stopping a program early, one CTest test per call (tests/cli/CMakeLists.txt):
#
#   stop.sh JITBF timeout spin|read|wait|write BACKEND   --timeout=1 stops a runaway program
#   stop.sh JITBF signal INT|TERM|HUP spin|wait|write BACKEND   a signal during the run
#   stop.sh JITBF signal-idle INT|TERM|HUP               a signal while no program runs
#   stop.sh JITBF timeout-command BACKEND   `timeout -s INT 0.5 jitbf ...` keeps the output
#
# The runaway programs print "A", then: spin in a loop with no I/O, read /dev/zero forever,
# wait for input from a pipe that never sends any, or write to /dev/null forever. Exits 0
# when jitbf behaved, else says what was wrong and exits 1. Times are wall-clock around the
# whole process (start-up and compiling included), so a loaded machine only makes them
# longer; the bounds leave room for that.
#
# Every jitbf runs under `timeout -k 2 10`, which puts it in a process group of its own and
# kills it after 10 s: a jitbf that ignores its stop must fail the test, never outlive it.
set -u
jitbf=$1
what=$2
shift 2
dir=$(mktemp -d)
jpid=
trap '[ -z "$jpid" ] || kill -KILL "$jpid" 2>/dev/null; rm -rf "$dir"' EXIT
bounded="timeout -k 2 10" # a command, not a function: `$bounded ... &` must start timeout itself
failed=0
problem() {
    echo "stop.sh: $*"
    failed=1
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

A='++++++++[>++++++++<-]>+.' # prints A: flushed before the first read, or when the run ends

# Sets prog, input and out for runaway case $1.
runaway() {
    input=/dev/null
    out=$dir/out
    case $1 in
    spin) prog="$A+[]" ;;
    read) prog="$A[-]+[,+]" input=/dev/zero ;;
    wait)
        prog="$A+[,+]"
        mkfifo "$dir/fifo"
        exec 3<>"$dir/fifo" # a writer that never writes, so reads wait instead of ending
        input=$dir/fifo
        ;;
    write) prog="$A[.]" out=/dev/null ;;
    *) problem "no runaway case '$1'" ;;
    esac
}

# The output must be "A" unless it went to /dev/null.
check_output() {
    [ "$out" = /dev/null ] || [ "$(cat "$out")" = A ] ||
        problem "output is '$(cat "$out")', expected 'A'"
}

# Waits until process $1 has used 0.2 s of CPU (so it is well into the program's loop), or
# until the output file has something in it (flushed before a read), for up to 30 s.
wait_until_running() {
    i=0
    while [ $i -lt 300 ]; do
        [ "$out" != /dev/null ] && [ -s "$out" ] && return 0
        ticks=$(awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null)
        [ -n "$ticks" ] && [ "$ticks" -ge 20 ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    problem "the program never got going"
}

# Waits until process $1 is in read(0, ...), for up to 30 s.
wait_until_reading() {
    i=0
    while [ $i -lt 300 ]; do
        case $(cat "/proc/$1/syscall" 2>/dev/null) in "0 0x0 "*) return 0 ;; esac
        sleep 0.1
        i=$((i + 1))
    done
    problem "jitbf never waited for its program"
}

# Sets jpid to the jitbf that the bounding timeout $1 started (its only child).
find_jitbf() {
    i=0
    while [ $i -lt 300 ]; do
        jpid=$(pgrep -P "$1" | head -n 1)
        [ -n "$jpid" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    problem "jitbf never started"
}

signal_number() {
    case $1 in
    HUP) echo 1 ;;
    INT) echo 2 ;;
    TERM) echo 15 ;;
    esac
}

# Sends signal $1 to jitbf and checks that it ends by that signal with the message, promptly.
# The bounding timeout $2, started in the background, ends as its child did.
check_signal_end() {
    t0=$(now_ms)
    kill -"$1" "$jpid"
    wait "$2"
    status=$?
    jpid=
    elapsed=$(($(now_ms) - t0))
    want=$((128 + $(signal_number "$1")))
    [ $status -eq $want ] || problem "exit status $status, expected $want"
    [ "$(cat "$dir/err")" = "jitbf: interrupted by SIG$1" ] ||
        problem "stderr is '$(cat "$dir/err")', expected 'jitbf: interrupted by SIG$1'"
    [ $elapsed -lt 1500 ] || problem "it took $elapsed ms to end after SIG$1"
}

case $what in
timeout)
    runaway "$1"
    t0=$(now_ms)
    $bounded "$jitbf" --backend "$2" --timeout=1 -e "$prog" <"$input" >"$out" 2>"$dir/err"
    status=$?
    elapsed=$(($(now_ms) - t0))
    exec 3>&-
    [ $status -eq 1 ] || problem "exit status $status, expected 1"
    [ $elapsed -ge 1000 ] && [ $elapsed -lt 1500 ] ||
        problem "ended after $elapsed ms, expected 1000 to 1500 (1.5 x --timeout)"
    # One line, placed in the runaway loop: after the 24 columns that print A.
    err=$(cat "$dir/err")
    col=$(echo "$err" | sed -n 's/^jitbf: -e:1:\([0-9]*\): stopped: time limit of 1 s reached (--timeout)$/\1/p')
    [ "$(echo "$err" | wc -l)" -eq 1 ] && [ -n "$col" ] && [ "$col" -gt 24 ] &&
        [ "$col" -le ${#prog} ] || problem "stderr is '$err', expected the time limit at 1:25 to 1:${#prog}"
    check_output
    ;;
signal)
    runaway "$2"
    # Started with default dispositions: a background job of a script ignores SIGINT.
    $bounded env --default-signal=INT,TERM,HUP "$jitbf" --backend "$3" -e "$prog" <"$input" \
        >"$out" 2>"$dir/err" &
    pid=$!
    find_jitbf $pid
    wait_until_running "$jpid"
    check_signal_end "$1" $pid
    exec 3>&-
    check_output
    ;;
signal-idle)
    mkfifo "$dir/fifo"
    exec 3<>"$dir/fifo"
    out=$dir/out
    $bounded env --default-signal=INT,TERM,HUP "$jitbf" - <"$dir/fifo" >"$out" 2>"$dir/err" &
    pid=$!
    find_jitbf $pid
    wait_until_reading "$jpid"
    check_signal_end "$1" $pid
    exec 3>&-
    [ ! -s "$out" ] || problem "output is '$(cat "$out")', expected none"
    ;;
timeout-command)
    # As issue #13 has it; timeout(1) itself then exits 124.
    out=$dir/out
    $bounded timeout -s INT 0.5 "$jitbf" --backend "$1" -e "$A+[]" >"$out" 2>"$dir/err"
    status=$?
    [ $status -eq 124 ] || problem "exit status $status, expected 124 (timeout's)"
    [ "$(cat "$dir/err")" = "jitbf: interrupted by SIGINT" ] ||
        problem "stderr is '$(cat "$dir/err")', expected 'jitbf: interrupted by SIGINT'"
    check_output
    ;;
*) problem "no test '$what'" ;;
esac
exit $failed
