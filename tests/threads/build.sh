#!/usr/bin/env bash
# Rebuilds the thread test programs: tests/threads/NAME.wat -> tests/threads/NAME.wasm, with
# wabt's wat2wasm (threads enabled; the name section kept, so fault records name functions).
# The .wasm files are committed beside their sources; after changing a source, run this and
# commit both. Exits non-zero if anything fails to build.
#
# Debian's wasi-libc has no threads sysroot (wasm32-wasi-threads), so these programs are
# written by hand in the text format, with their own futexes and mutexes.
#
# Environment: WAT2WASM (default wat2wasm).
set -euo pipefail
shopt -s nullglob

cd "$(dirname "$0")"
WAT2WASM=${WAT2WASM:-wat2wasm}
for src in *.wat; do
  out="${src%.wat}.wasm"
  "$WAT2WASM" --enable-threads --debug-names "$src" -o "$out"
  printf 'built %-36s %6d bytes\n' "tests/threads/$out" "$(stat -c %s "$out")"
done
