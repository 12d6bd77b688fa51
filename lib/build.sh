#!/usr/bin/env bash
# Builds lib/libisokernel.a from lib/src/*.c for wasm32-wasi with Debian's clang-14 and
# wasi-libc, and prints what it built. The archive is committed, so programs link against
# it without rebuilding; run this after changing lib/src/ or include/isokernel.h and commit
# the archive with the sources.
#
# Reproducible: the same sources and compiler give the same bytes (objects added in name
# order, llvm-ar's deterministic mode: no timestamps, uids or modes; no debug info, so no
# paths). The sha256 printed at the end identifies the build.
#
# Environment: CC (default clang-14), AR (default llvm-ar-14).
set -euo pipefail

cd "$(dirname "$0")"
CC=${CC:-clang-14}
AR=${AR:-llvm-ar-14}
CFLAGS=(--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -I ../include -I src)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

objs=()
for src in $(printf '%s\n' src/*.c | LC_ALL=C sort); do
  obj="$tmp/$(basename "$src" .c).o"
  "$CC" "${CFLAGS[@]}" -c "$src" -o "$obj"
  objs+=("$obj")
  printf 'compiled %-22s %6d bytes\n' "$src" "$(stat -c %s "$obj")"
done

rm -f libisokernel.a.tmp
"$AR" rcsD libisokernel.a.tmp "${objs[@]}"
mv libisokernel.a.tmp libisokernel.a
printf 'built lib/libisokernel.a: %d objects, %d bytes, sha256 %s\n' \
  "${#objs[@]}" "$(stat -c %s libisokernel.a)" "$(sha256sum libisokernel.a | cut -d' ' -f1)"
