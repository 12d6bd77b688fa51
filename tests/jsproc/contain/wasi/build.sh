#!/usr/bin/env bash
# Rebuilds grow.wasm from grow.c (committed next to it): a plain WASI program, no isokernel
# library. Environment: CC (default clang-14).
set -euo pipefail
cd "$(dirname "$0")"
CC=${CC:-clang-14}
"$CC" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug grow.c -o grow.wasm
echo "built grow.wasm $(stat -c %s grow.wasm) bytes"
