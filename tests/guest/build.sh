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
LIBS=""
NAME_WIDTH=40
# shellcheck source=../lib/build-programs.sh
. ../lib/build-programs.sh

build_programs

# The manifest: test.h, and each source that built.
{
  sha256sum src/test.h | sed 's#  src/#  #'
  built_hashes
} >bin/sources.sha256

finish_build
