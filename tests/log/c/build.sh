#!/usr/bin/env bash
# Rebuilds the log tests' guest programs: tests/log/c/NAME.c -> tests/log/c/NAME.wasm,
# linked with lib/libisokernel.a (lib/build.sh first). The .wasm files are committed; run
# this after changing a source, include/syslog.h or lib/src/syslog.c.
# Environment: CC (default clang-14).
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-clang-14}
ROOT=../../..
for src in *.c; do
  "$CC" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -I "$ROOT/include" -Wl,--strip-debug \
    "$src" -L "$ROOT/lib" -lisokernel -o "${src%.c}.wasm"
  printf 'built tests/log/c/%s\n' "${src%.c}.wasm"
done
