#!/bin/sh
# emit_c_matches.sh JITBF ARGS...: `jitbf --emit-c ARGS`, compiled with cc -O2 -Wall -Wextra
# -Werror, must print what `jitbf ARGS` prints (stdout, stderr) and exit as it does, on the
# same (empty) input. Exits 77, which CTest counts as skipped, without a C compiler.
set -u
jitbf=$1
shift
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "no C compiler ($cc): skipped" >&2
    exit 77
fi
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
"$jitbf" --emit-c "$@" >"$dir/prog.c" || { echo "--emit-c failed" >&2; exit 1; }
"$cc" -O2 -Wall -Wextra -Werror -o "$dir/prog" "$dir/prog.c" || exit 1
"$jitbf" "$@" </dev/null >"$dir/want.out" 2>"$dir/want.err"
want=$?
"$dir/prog" </dev/null >"$dir/got.out" 2>"$dir/got.err"
got=$?
status=0
cmp "$dir/want.out" "$dir/got.out" || status=1
diff "$dir/want.err" "$dir/got.err" || status=1
[ "$want" = "$got" ] || { echo "exit status $got, jitbf's is $want" >&2; status=1; }
[ -s "$dir/want.out" ] || [ -s "$dir/want.err" ] || { echo "nothing to compare" >&2; status=1; }
exit $status
