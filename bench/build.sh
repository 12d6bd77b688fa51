#!/usr/bin/env bash
# Builds the benchmark programs from bench/src.
#   bench/build.sh wasm     WASI builds -> bench/wasm/*.wasm (committed)
#   bench/build.sh native   native builds -> bench/.build/ (gitignored; run.ts does this)
#   bench/build.sh          both
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/src"
root="$(dirname "$here")"
what="${1:-all}"

CLANG="${CLANG:-clang-14}"
CC="${CC:-gcc}"
WASI_FLAGS=(--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra)
NATIVE_FLAGS=(-O2 -Wall -Wextra)

if [[ "$what" == wasm || "$what" == all ]]; then
  mkdir -p "$here/wasm"
  for prog in bench hello sleeper compute; do
    "$CLANG" "${WASI_FLAGS[@]}" -o "$here/wasm/$prog.wasm" "$src/$prog.c"
  done
  # proc.c spawns and pipes through the project's C library (include/isokernel.h,
  # lib/libisokernel.a: posix_spawn, waitpid, pipe2 on the kernel's isokernel module).
  "$CLANG" "${WASI_FLAGS[@]}" -I "$root/include" -o "$here/wasm/proc.wasm" "$src/proc.c" \
    -L "$root/lib" -lisokernel
fi

if [[ "$what" == native || "$what" == all ]]; then
  out="$here/.build"
  mkdir -p "$out"
  "$CC" "${NATIVE_FLAGS[@]}" -o "$out/bench" "$src/bench.c"
  "$CC" "${NATIVE_FLAGS[@]}" -o "$out/spawn" "$src/spawn.c"
  # The spawned programs are static, as the targets ask (no dynamic loader in the figure).
  "$CC" "${NATIVE_FLAGS[@]}" -static -o "$out/hello" "$src/hello.c"
  "$CC" "${NATIVE_FLAGS[@]}" -static -o "$out/sleeper" "$src/sleeper.c"
  # proc is both the parent and the children it spawns (echo, sink, block), so static too.
  # isokernel.h, compiled natively, only includes the host's headers.
  "$CC" "${NATIVE_FLAGS[@]}" -static -I "$root/include" -o "$out/proc" "$src/proc.c"
fi
