#!/usr/bin/env bash
# Rebuilds the memory-protection guests: tests/protect/src/NAME.c -> bin/NAME.wasm
# (clang-14, wasi-libc). A source's `// cflags: ...` line adds flags (-Wl,--stack-first).
# The .wasm files are committed beside their sources; after changing a source, run this
# and commit both. Exits non-zero if anything fails to build.
#
# Environment: CC (default clang-14).
set -euo pipefail
shopt -s nullglob

cd "$(dirname "$0")"
CC=${CC:-clang-14}
# No debug info (wasi-libc's own DWARF is large); the name section stays for fault records.
CFLAGS=(--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug)

mkdir -p bin
for src in src/*.c; do
  out="bin/$(basename "$src" .c).wasm"
  # shellcheck disable=SC2207
  extra=($(sed -n 's#^// cflags: ##p' "$src"))
  "$CC" "${CFLAGS[@]}" "${extra[@]}" "$src" -o "$out"
  printf 'built %-32s %7d bytes\n' "$out" "$(stat -c %s "$out")"
done
