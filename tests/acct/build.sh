#!/usr/bin/env bash
# Rebuilds the accounting test programs: tests/acct/src/NAME.c -> tests/acct/bin/NAME.wasm
# (wasm32-wasi, clang-14, against the project's C library; build lib/ first with
# lib/build.sh). The .wasm files are committed: after changing a source, run this and commit
# bin/. Environment: CC (default clang-14).
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-clang-14}
ROOT=../..
[ -f "$ROOT/lib/libisokernel.a" ] || { echo "build.sh: no lib/libisokernel.a; run lib/build.sh first" >&2; exit 1; }
CFLAGS="--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -I $ROOT/include -Wl,--strip-debug"
mkdir -p bin
for src in src/*.c; do
  name=$(basename "$src" .c)
  # shellcheck disable=SC2086
  "$CC" $CFLAGS "$src" -L "$ROOT/lib" -lisokernel -o "bin/$name.wasm"
  printf 'built bin/%-14s %7d bytes\n' "$name.wasm" "$(stat -c %s "bin/$name.wasm")"
done
