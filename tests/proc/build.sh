#!/usr/bin/env bash
# Rebuilds the process test programs: tests/proc/src/NAME.c -> tests/proc/bin/NAME.wasm,
# linked with lib/libisokernel.a (build that first with lib/build.sh), and the #! fixtures
# shebang.c needs (make-fixtures.sh). The .wasm files are committed; after changing a
# source, proc_test.h, include/isokernel.h or the library, run this and commit bin/.
#
# bin/sources.sha256 records the hashes of what the programs were built from (each source,
# proc_test.h, include/isokernel.h, lib/libisokernel.a): tests/proc.test.ts fails when one
# no longer matches.
#
# Environment: CC (default clang-14), JOBS (default 2).
set -euo pipefail

cd "$(dirname "$0")"
CC=${CC:-clang-14}
JOBS=${JOBS:-2}
ROOT=../..
[ -f "$ROOT/lib/libisokernel.a" ] || { echo "build.sh: no lib/libisokernel.a; run lib/build.sh first" >&2; exit 1; }
# As tests/guest/build.sh: no debug info (wasi-libc's own DWARF would dominate each binary).
CFLAGS="--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -I $ROOT/include -Wl,--strip-debug"
LIBS="-L $ROOT/lib -lisokernel"

mkdir -p bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build_one() {
  local src=$1 name out
  name=$(basename "$src" .c)
  out="bin/$name.wasm"
  # shellcheck disable=SC2086
  if "$CC" $CFLAGS "$src" $LIBS -o "$out.tmp" 2>"$tmp/$name.err"; then
    mv "$out.tmp" "$out"
    sha256sum "$src" | sed 's#  src/#  #' >"$tmp/$name.sha"
    printf 'built %-34s %7d bytes\n' "$out" "$(stat -c %s "$out")"
  else
    rm -f "$out.tmp"
    cat "$tmp/$name.err" >&2
    printf 'FAILED %s\n' "$src" >&2
    return 1
  fi
}
export -f build_one
export CC CFLAGS LIBS tmp

status=0
printf '%s\n' src/*.c | xargs -P "$JOBS" -I{} bash -c 'build_one "$@"' _ {} || status=1

for wasm in bin/*.wasm; do
  [ -e "src/$(basename "$wasm" .wasm).c" ] || { rm -f "$wasm"; echo "removed $wasm (no source)"; }
done

./make-fixtures.sh bin /t/helper.wasm
echo "wrote bin/shebang-script, bin/shebang-missing, bin/not-a-program"

{
  sha256sum src/proc_test.h | sed 's#  src/#  #'
  sha256sum "$ROOT/include/isokernel.h" | sed "s#  $ROOT/#  #"
  sha256sum "$ROOT/lib/libisokernel.a" | sed "s#  $ROOT/#  #"
  cat "$tmp"/*.sha 2>/dev/null | sort -k2
} >bin/sources.sha256

count=$(ls "$tmp"/*.sha 2>/dev/null | wc -l)
if [ "$status" -ne 0 ]; then
  echo "build.sh: some programs failed to compile ($count built)" >&2
  exit 1
fi
echo "build.sh: $count programs built"
