#!/bin/sh
# Builds the bundles of init, crond and syslogd: init.mjs, crond.mjs and syslogd.mjs, each
# its .ts source with what it imports (initlib/, sysloglib/, and croner for crond) in one ES
# module. Why bundles:
#   - /sbin is the package's userland/sbin mounted read-only and has no node_modules, so a
#     program of /sbin that uses an npm package (crond: croner) can only run bundled;
#   - a bundle is one file the JS runtime loads without TypeScript stripping: init starts
#     ~180 ms sooner than from init.ts and its five modules (docs/services.md); syslogd is
#     one module instead of six, read over system calls, at every image boot.
# `isokernel` and node: modules stay imports (the JS runtime provides them). The bundles are
# committed next to their sources, as the .wasm programs are; tests/init/bundles.test.ts
# fails when one is stale. Run after changing init.ts, crond.ts, syslogd.ts, initlib/,
# sysloglib/ or croner.
#   build.sh [OUTDIR]     (default: here)
set -eu
OUT=$(cd "${1:-$(dirname "$0")}" && pwd)
cd "$(dirname "$0")"
ROOT=../..
CRONER=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$ROOT/node_modules/croner/package.json")
for prog in init crond syslogd; do
  "$ROOT/node_modules/.bin/esbuild" "$prog.ts" --bundle --format=esm --platform=node --target=node22 \
    --external:isokernel --legal-comments=inline --log-level=warning \
    --banner:js="// Built by userland/sbin/build.sh from $prog.ts (croner $CRONER, MIT, where used). Do not edit." \
    --outfile="$OUT/$prog.mjs"
  chmod 755 "$OUT/$prog.mjs"
done
