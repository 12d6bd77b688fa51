#!/usr/bin/env bash
# Rebuilds the socket test programs: tests/net/src/NAME.c -> tests/net/bin/NAME.wasm, linked
# with lib/libisokernel.a (build that first with lib/build.sh). The .wasm files are
# committed; after changing a source, net_test.h, include/ or the library, run this.
# Environment: CC (default clang-14).
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
  case $name in
    wasi_*) "$CC" $CFLAGS "$src" -o "bin/$name.wasm" ;; # plain WASI: wasi-libc's sockets (sock_*)
    *) "$CC" $CFLAGS "$src" -L "$ROOT/lib" -lisokernel -o "bin/$name.wasm" ;;
  esac
  printf 'built %-28s %7d bytes\n' "bin/$name.wasm" "$(stat -c %s "bin/$name.wasm")"
done
