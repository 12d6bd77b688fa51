#!/usr/bin/env bash
# Builds the test CGI programs (tests/httpd/src/*.c -> tests/httpd/bin/NAME) for wasm32-wasi.
# The binaries are committed beside their sources.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
mkdir -p bin
for src in src/*.c; do
  name=$(basename "$src" .c)
  clang-14 --target=wasm32-wasi --sysroot=/usr -O1 -g -Wall -Wextra -Werror -I "$root/include" "$src" -o "bin/$name"
  chmod 755 "bin/$name"
  echo "built bin/$name"
done
