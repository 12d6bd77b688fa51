#!/usr/bin/env bash
# Builds the socket test programs natively (gcc -I include: the isokernel headers then
# defer to the host's) and runs each as tests/net/net.test.ts runs it in the kernel, printing
# PASS or FAIL: passing on Linux shows the programs expect what Linux does.
# Environment: NATIVE_CC (default gcc).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
CC=${NATIVE_CC:-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
run() {
  local name=$1; shift
  if (cd "$tmp" && timeout 60 "./$name" "$@" >"$tmp/out" 2>&1); then echo "PASS $name $*"
  else echo "FAIL $name $*"; cat "$tmp/out"; fail=1; fi
}
for src in "$here"/src/*.c; do
  name=$(basename "$src" .c)
  case $name in wasi_*|isk_*) continue ;; esac # a preopened listener; raw kernel imports (the kernel tests run these)
  "$CC" -O2 -Wall -Wextra -Werror -I "$root/include" "$src" -o "$tmp/$name" || { echo "FAIL $name (does not compile)"; fail=1; }
done
run tcp_echo 4; run tcp_echo 6; run udp_echo 4; run udp_echo 6; run unix_echo; run nonblock; run errors
exit $fail
