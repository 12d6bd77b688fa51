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
NAME_WIDTH=34
# shellcheck source=../lib/build-programs.sh
. ../lib/build-programs.sh

build_programs

./make-fixtures.sh bin /t/helper.wasm
echo "wrote bin/shebang-script, bin/shebang-missing, bin/not-a-program"

{
  sha256sum src/proc_test.h | sed 's#  src/#  #'
  sha256sum "$ROOT/include/isokernel.h" | sed "s#  $ROOT/#  #"
  sha256sum "$ROOT/lib/libisokernel.a" | sed "s#  $ROOT/#  #"
  built_hashes
} >bin/sources.sha256

finish_build
