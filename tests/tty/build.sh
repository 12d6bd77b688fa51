#!/usr/bin/env bash
# Builds the terminal test programs: tests/tty/src/NAME.c -> tests/tty/bin/NAME.wasm, linked
# with lib/libisokernel.a (run lib/build.sh first). The .wasm files are committed; run this
# after changing a source, include/termios.h, include/sys/ioctl.h or the library.
# Environment: CC (default clang-14).
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-clang-14}
ROOT=../..
mkdir -p bin
for src in src/*.c; do
  name=$(basename "$src" .c)
  "$CC" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -I "$ROOT/include" -Wl,--strip-debug \
    "$src" -o "bin/$name.wasm" -L "$ROOT/lib" -lisokernel
  printf 'built bin/%s.wasm %d bytes\n' "$name" "$(stat -c %s "bin/$name.wasm")"
done
