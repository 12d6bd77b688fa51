#!/usr/bin/env bash
# Rebuilds the hostile-input guests: tests/hostile/src/NAME.c -> bin/NAME.wasm (clang-14,
# wasi-libc) and src/NAME.wat -> bin/NAME.wasm (wabt's wat2wasm: the deliberately broken
# programs). The .wasm files are committed beside their sources; after changing a source,
# run this and commit both. Exits non-zero if anything fails to build.
#
# Environment: CC (default clang-14), WAT2WASM (default wat2wasm).
set -euo pipefail
shopt -s nullglob

cd "$(dirname "$0")"
CC=${CC:-clang-14}
WAT2WASM=${WAT2WASM:-wat2wasm}
CFLAGS=(--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug)

mkdir -p bin
for src in src/*.c; do
  out="bin/$(basename "$src" .c).wasm"
  "$CC" "${CFLAGS[@]}" "$src" -o "$out"
  printf 'built %-32s %7d bytes\n' "$out" "$(stat -c %s "$out")"
done
for src in src/*.wat; do
  out="bin/$(basename "$src" .wat).wasm"
  "$WAT2WASM" "$src" -o "$out"
  printf 'built %-32s %7d bytes\n' "$out" "$(stat -c %s "$out")"
done
