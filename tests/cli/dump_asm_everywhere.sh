#!/usr/bin/env bash
# --dump-asm at every -O level, cell width and EOF mode: it exits 0 without running the
# program, shows the mnemonics and the labelled frame, and heads a group of code with every
# op of the IR (as --dump-ir prints it with the same options), at its line:col.
#   dump_asm_everywhere.sh JITBF PROGRAM
set -euo pipefail
jitbf=$1 prog=$2
# JITBF_TEST_SAMPLE=k (the asan test preset; tests/sample.hpp): only the combinations whose
# indices add up to a multiple of k run, so every value of each loop still runs.
k=${JITBF_TEST_SAMPLE:-1}
[ "$k" -gt 1 ] 2>/dev/null || k=1
for level in 0 1 2; do
  for b in 0 1 2; do
    bits=$((8 << b))
    for e in 0 1 2; do
      (( (level + b + e) % k == 0 )) || continue
      eofs=(unchanged zero minus-one)
      eof=${eofs[e]}
      flags=(-O"$level" --cell-bits "$bits" --eof "$eof")
      what="${flags[*]}"
      asm=$("$jitbf" "${flags[@]}" --dump-asm "$prog" </dev/null)
      for word in push mov cmp call ret '; prologue:' '; epilogue:' '; fault exit:'; do
        grep -qF -- "$word" <<<"$asm" || { echo "$what: no '$word' in the listing"; exit 1; }
      done
      grep -qE '^ +[0-9a-f]+:  ([0-9a-f]{2} )+ +[a-z]+' <<<"$asm" ||
        { echo "$what: no 'offset: bytes mnemonic' line"; exit 1; }
      # "index line:col op..." -> "; line:col  op...", the header the listing should have.
      want=$("$jitbf" "${flags[@]}" --dump-ir "$prog" | sed -E 's/^ *[0-9]+ +([0-9]+:[0-9]+) +/; \1  /')
      [ "$(wc -l <<<"$want")" -gt 10 ] || { echo "$what: too few ops in the IR"; exit 1; }
      missing=$(grep -vxFf <(grep '^; [0-9]' <<<"$asm") <<<"$want" || true)
      [ -z "$missing" ] || { printf '%s: no header for\n%s\n' "$what" "$missing"; exit 1; }
    done
  done
done
