#!/usr/bin/env bash
# Builds the tracer's test and benchmark programs for wasm32-wasi:
#   tests/trace/known.c   -> tests/trace/bin/known.wasm   (strace's transcript test)
#   tests/trace/sysloop.c -> tests/trace/bin/sysloop.wasm (bench/trace.ts; bench builds the
#                                                          native one itself)
# linked with lib/libisokernel.a (lib/build.sh first). The .wasm files are committed with
# their sources; bin/sources.sha256 records what they were built from.
# Environment: CC (default clang-14).
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-clang-14}
ROOT=../..
[ -f "$ROOT/lib/libisokernel.a" ] || { echo "build.sh: no lib/libisokernel.a; run lib/build.sh first" >&2; exit 1; }
CFLAGS="--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -I $ROOT/include -Wl,--strip-debug"
LIBS="-L $ROOT/lib -lisokernel"
mkdir -p bin
for src in known.c sysloop.c; do
  name=$(basename "$src" .c)
  # shellcheck disable=SC2086
  "$CC" $CFLAGS "$src" $LIBS -o "bin/$name.wasm.tmp"
  mv "bin/$name.wasm.tmp" "bin/$name.wasm"
  printf 'built bin/%s.wasm %d bytes\n' "$name" "$(stat -c %s "bin/$name.wasm")"
done
sha256sum known.c sysloop.c >bin/sources.sha256
