#!/usr/bin/env bash
# Rebuilds the demo image's C service (bin/heartbeat.wasm is committed beside its source),
# linked with lib/libisokernel.a (signals).
set -euo pipefail
cd "$(dirname "$0")"
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug \
  -I ../../include src/heartbeat.c -L ../../lib -lisokernel -o bin/heartbeat.wasm
echo "built bin/heartbeat.wasm"
