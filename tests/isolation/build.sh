#!/usr/bin/env bash
# Rebuilds the isolation, confinement and limits guests (README.md): src/NAME.c ->
# bin/NAME.wasm (clang-14, wasi-libc, lib/libisokernel.a). The .wasm files are committed
# beside their sources; after changing a source or the library, run this and commit both.
# Exits non-zero if anything fails.
#
# Environment: CC (default clang-14).
set -euo pipefail
shopt -s nullglob

cd "$(dirname "$0")"
CC=${CC:-clang-14}
ROOT=../..
[ -f "$ROOT/lib/libisokernel.a" ] || { echo "build.sh: no lib/libisokernel.a; run lib/build.sh first" >&2; exit 1; }
# No debug info (wasi-libc's own DWARF is large); the name section stays for fault records.
CFLAGS=(--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -I "$ROOT/include" -Wl,--strip-debug)

mkdir -p bin
for src in src/*.c; do
  out="bin/$(basename "$src" .c).wasm"
  "$CC" "${CFLAGS[@]}" "$src" -L "$ROOT/lib" -lisokernel -o "$out"
  printf 'built %-32s %7d bytes\n' "$out" "$(stat -c %s "$out")"
done
