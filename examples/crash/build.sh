#!/usr/bin/env bash
# Rebuilds the crash demonstration WITH debug info (-g), so that fault records and core files
# name source lines; linked with lib/libisokernel.a (posix_spawn, waitpid). Compiled from this
# directory with -fdebug-compilation-dir=. so the binary names `crash.c` wherever the checkout
# is. crash.wasm is committed beside its source.
set -euo pipefail
cd "$(dirname "$0")"
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -g -Wall -Wextra -Werror -fdebug-compilation-dir=. \
  -I ../../include crash.c -L ../../lib -lisokernel -o crash.wasm
echo "built examples/crash/crash.wasm ($(stat -c %s crash.wasm) bytes)"
