#!/usr/bin/env bash
# Rebuilds the example programs (committed beside their sources); crash/ and demo-image/
# have their own scripts (they link libisokernel), run last.
set -euo pipefail
cd "$(dirname "$0")"
for src in demo/*.c; do
  clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug "$src" -o "${src%.c}.wasm"
  echo "built ${src%.c}.wasm"
done
./crash/build.sh
./demo-image/build.sh
