#!/usr/bin/env bash
# Builds the userland the kernel serves at /bin (src/kernel/kernel.ts, USERLAND_BIN):
#   userland/sh/*.c        -> bin/sh   (one program)
#   userland/cmd/NAME.c    -> bin/NAME (one program each; NAME is the command)
# with Debian's clang-14 for wasm32-wasi against the project's C library (include/,
# lib/libisokernel.a). The binaries are committed with their sources; bin/sources.sha256
# records what they were built from (tests fail when a source no longer matches).
#
# Environment: CC (default clang-14), JOBS (default: the number of CPUs).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
CC=${CC:-clang-14}
JOBS=${JOBS:-$(nproc)}
CFLAGS="--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug -I$root/include -Icommon"
LIBS="-L$root/lib -lisokernel"

[ -f "$root/lib/libisokernel.a" ] || { echo "build.sh: lib/libisokernel.a is missing: run lib/build.sh" >&2; exit 1; }
mkdir -p bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build() { # NAME SOURCES...
  local name=$1; shift
  # shellcheck disable=SC2086
  if "$CC" $CFLAGS "$@" $LIBS -o "bin/$name.tmp" 2>"$tmp/$name.err"; then
    chmod 755 "bin/$name.tmp"
    mv "bin/$name.tmp" "bin/$name"
    printf 'built bin/%-12s %7d bytes\n' "$name" "$(stat -c %s "bin/$name")"
  else
    rm -f "bin/$name.tmp"
    cat "$tmp/$name.err" >&2
    echo "FAILED $name" >&2
    return 1
  fi
}
export -f build
export CC CFLAGS LIBS tmp

status=0
shsrc=$(ls sh/*.c 2>/dev/null | tr "\n" " " || true)
jobs=()
# The shell recurses (functions, nested constructs): a 1 MiB stack, below the data so an
# overflow traps instead of overwriting it. sh/ also checks its depth itself.
[ -n "$shsrc" ] && jobs+=("sh -Wl,-z,stack-size=1048576 -Wl,--stack-first $shsrc")
for f in cmd/*.c; do [ -e "$f" ] && jobs+=("$(basename "$f" .c) $f"); done
printf '%s\n' "${jobs[@]}" | xargs -P "$JOBS" -I{} bash -c 'build {}' || status=1

# `[` is test under its other name (cmd/test.c looks at argv[0]): a copy, as there are no
# links in the served directory's build.
if [ -f bin/test ] && [ -e cmd/test.c ]; then cp bin/test 'bin/['; fi

# The operator's tools written in TypeScript (tools/NAME.ts): the bin/NAME launchers.
tools/install.sh

# Binaries whose source is gone.
for b in bin/*; do
  n=$(basename "$b")
  [ "$n" = sources.sha256 ] && continue
  [ "$n" = "[" ] && [ -e cmd/test.c ] && continue
  if [ "$n" = sh ]; then [ -n "$shsrc" ] && continue; elif [ -e "cmd/$n.c" ] || [ -e "tools/$n.ts" ]; then continue; fi
  rm -f "$b"; echo "removed $b (no source)"
done

{
  sha256sum "$root/include/isokernel.h" "$root/lib/libisokernel.a" | sed "s#  $root/#  #"
  ls common/*.h sh/*.[ch] cmd/*.c tools/*.ts tools/lib/*.ts 2>/dev/null | xargs -r sha256sum
} >bin/sources.sha256
[ "$status" -eq 0 ] || { echo "build.sh: some programs failed to compile" >&2; exit 1; }
echo "build.sh: $(ls bin | grep -vc sources.sha256) programs built"
