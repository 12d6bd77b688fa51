#!/usr/bin/env bash
# Rebuilds every guest test program: tests/guest/src/NAME.c -> tests/guest/bin/NAME.wasm.
#
# The .wasm files are committed beside their sources; after changing a source (or test.h),
# run this and commit both. It also writes bin/sources.sha256, the hashes of the sources
# the binaries were built from: tests/guest-programs.test.ts fails when a source no longer
# matches it (a file's mtime says nothing after a git checkout).
#
# Exits non-zero if any program fails to compile. The per-program header that tells the
# runner how to run a program is described in tests/guest/README.md.
#
# Environment: CC (default clang-14), JOBS (default: the number of CPUs).
set -euo pipefail

cd "$(dirname "$0")"
CC=${CC:-clang-14}
JOBS=${JOBS:-$(nproc)}
# No -g, and --strip-debug: Debian's wasi-libc carries its own DWARF, about 80 KB in every
# binary (five times the code). The "name" section stays, so fault records still name the
# wasm function.
CFLAGS="--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug"

mkdir -p bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build_one() {
  local src=$1 name out
  name=$(basename "$src" .c)
  out="bin/$name.wasm"
  # shellcheck disable=SC2086
  if "$CC" $CFLAGS "$src" -o "$out.tmp" 2>"$tmp/$name.err"; then
    mv "$out.tmp" "$out"
    sha256sum "$src" | sed 's#  src/#  #' >"$tmp/$name.sha"
    printf 'built %-40s %7d bytes\n' "$out" "$(stat -c %s "$out")"
  else
    rm -f "$out.tmp"
    cat "$tmp/$name.err" >&2
    printf 'FAILED %s\n' "$src" >&2
    return 1
  fi
}
export -f build_one
export CC CFLAGS tmp

status=0
printf '%s\n' src/*.c | xargs -P "$JOBS" -I{} bash -c 'build_one "$@"' _ {} || status=1

# Binaries whose source is gone.
for wasm in bin/*.wasm; do
  [ -e "src/$(basename "$wasm" .wasm).c" ] || { rm -f "$wasm"; echo "removed $wasm (no source)"; }
done

# The manifest: test.h, and each source that built.
{
  sha256sum src/test.h | sed 's#  src/#  #'
  cat "$tmp"/*.sha 2>/dev/null | sort -k2
} >bin/sources.sha256

count=$(ls "$tmp"/*.sha 2>/dev/null | wc -l)
if [ "$status" -ne 0 ]; then
  echo "build.sh: some programs failed to compile ($count built)" >&2
  exit 1
fi
echo "build.sh: $count programs built"
