#!/usr/bin/env bash
# Installs the Debian packages jitbf builds with, and only those that are missing:
# one `apt-get update`, one `apt-get install`, nothing at all when all are present.
set -euo pipefail

packages=(
  g++ cmake make ninja-build  # toolchain (CMake >= 3.25; the presets use Ninja)
  clang libclang-rt-14-dev    # the asan preset: clang++-14 and its sanitizer runtimes
  libxbyak-dev                # x86-64 code generation (xbyak::xbyak)
  libcli11-dev                # command-line parsing (CLI11::CLI11)
  libzydis-dev                # x86-64 disassembler for --dump-asm (Zydis::Zydis)
  libedit-dev pkg-config      # line editing and history for --repl (BSD licence; via pkg-config)
  doctest-dev                 # unit tests (doctest::doctest)
  libbenchmark-dev            # benchmarks (benchmark::benchmark)
  python3 hyperfine           # whole-process benchmark script
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
