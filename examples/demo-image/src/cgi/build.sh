#!/usr/bin/env bash
# Builds the demo image's C CGI programs from src/cgi/*.c:
#   src/cgi/build.sh               -> cgi-bin/NAME, wasm32-wasi (clang-14, libisokernel: popen), committed
#   src/cgi/build.sh --native DIR  -> DIR/NAME, the same sources built natively with gcc (the
#                                     Apache side of bench/httpd.ts)
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../../.. && pwd)
bin=$(cd ../.. && pwd)/cgi-bin
if [ "${1:-}" = "--native" ]; then
  out=${2:?"--native needs a directory"}
  mkdir -p "$out"
  for src in *.c; do
    name=$(basename "$src" .c)
    gcc -O2 -Wall -Wextra -Werror "$src" -o "$out/$name"
    echo "built $out/$name (native)"
  done
  exit 0
fi
for src in *.c; do
  name=$(basename "$src" .c)
  clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug \
    -I "$root/include" "$src" -L "$root/lib" -lisokernel -o "$bin/$name.tmp"
  chmod 755 "$bin/$name.tmp"
  mv "$bin/$name.tmp" "$bin/$name"
  printf 'built cgi-bin/%-10s %7d bytes\n' "$name" "$(stat -c %s "$bin/$name")"
done
