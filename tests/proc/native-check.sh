#!/usr/bin/env bash
# Builds every process test program natively (gcc -O2 -I include: isokernel.h then only
# includes the host's POSIX headers) into a temporary directory and runs each as its
# header says, printing PASS, FAIL or SKIP per program. Passing on Linux shows that the
# programs expect what POSIX (and Linux) do; the kernel must then do the same.
#
#   tests/proc/native-check.sh [NAME...]
#
# The run itself is native-run.ts (it reads the headers with the tests' own parser).
# Environment: NATIVE_CC (default gcc), JOBS (default 2), NODE (default: the project's
# Node from node_modules, else `node`; it must run TypeScript, i.e. Node >= 23.6).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
CC=${NATIVE_CC:-gcc}
JOBS=${JOBS:-2}
if [ -z "${NODE:-}" ]; then
  if [ -x "$root/node_modules/.bin/node" ]; then NODE="$root/node_modules/.bin/node"; else NODE=node; fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build_one() {
  local src=$1 name
  name=$(basename "$src" .c)
  if ! "$CC" -O2 -Wall -Wextra -Werror -I "$root/include" "$src" -o "$tmp/$name" 2>"$tmp/$name.err"; then
    cat "$tmp/$name.err" >&2
    echo "FAIL $name (does not compile natively)"
    return 1
  fi
}
export -f build_one
export CC root tmp

status=0
printf '%s\n' "$here"/src/*.c | xargs -P "$JOBS" -I{} bash -c 'build_one "$@"' _ {} || status=1
"$here/make-fixtures.sh" "$tmp" "$tmp/helper"

"$NODE" "$here/native-run.ts" "$tmp" "$@" || status=1
exit "$status"
