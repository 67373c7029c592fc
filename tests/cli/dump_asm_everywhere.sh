#!/usr/bin/env bash
# --dump-asm at every -O level, cell width and EOF mode: it exits 0 without running the
# program, shows the mnemonics and the labelled frame, and heads a group of code with every
# op of the IR (as --dump-ir prints it with the same options), at its line:col.
#   dump_asm_everywhere.sh JITBF PROGRAM
set -euo pipefail
jitbf=$1 prog=$2
for level in 0 1 2; do
  for bits in 8 16 32; do
    for eof in unchanged zero minus-one; do
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
