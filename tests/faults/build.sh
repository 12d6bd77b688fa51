#!/usr/bin/env bash
# Rebuilds the fault-record guests: src/faults.c WITH debug info -> bin/faults.wasm (DWARF 4,
# clang-14's default for wasm) and bin/faults-dwarf5.wasm (-gdwarf-5); src/parent.c without
# (linked with lib/libisokernel.a: build that first) -> bin/parent.wasm; src/globals.wat
# (wabt's wat2wasm, names kept) -> bin/globals.wasm. Unlike the other guest builds, faults
# keeps its DWARF (wasi-libc's too: ~140 KB a binary), because tests/faults.test.ts checks
# the source file:line in fault records. It is compiled from this directory with
# -fdebug-compilation-dir=. so the binaries name `src/faults.c` wherever the checkout is.
# The .wasm files are committed; after changing a source, run this and commit both.
#
# Environment: CC (default clang-14), WAT2WASM (default wat2wasm).
set -euo pipefail

cd "$(dirname "$0")"
CC=${CC:-clang-14}
CFLAGS=(--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -fdebug-compilation-dir=.)

mkdir -p bin
"$CC" "${CFLAGS[@]}" -g src/faults.c -o bin/faults.wasm
"$CC" "${CFLAGS[@]}" -gdwarf-5 src/faults.c -o bin/faults-dwarf5.wasm
"$CC" "${CFLAGS[@]}" -Wl,--strip-debug -I ../../include src/parent.c -L ../../lib -lisokernel -o bin/parent.wasm
${WAT2WASM:-wat2wasm} --debug-names src/globals.wat -o bin/globals.wasm
for out in bin/faults.wasm bin/faults-dwarf5.wasm bin/parent.wasm bin/globals.wasm; do
  printf 'built %-32s %7d bytes\n' "$out" "$(stat -c %s "$out")"
done
