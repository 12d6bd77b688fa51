#!/usr/bin/env bash
# Installs the operator's tools written in TypeScript (userland/tools/NAME.ts, run as JS
# processes; docs/tools.md) into the userland the kernel serves at /bin: bin/NAME is a #!
# launcher that imports /usr/lib/isokernel/tools/NAME.ts, where the kernel's default root
# serves this directory read-only (Kernel.boot). userland/build.sh runs this; run it alone
# after adding a tool.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf bin/.tools
for t in tools/*.ts; do
  n=$(basename "$t" .ts)
  printf "#!/usr/bin/env node\n// The %s tool: userland/tools/%s.ts (docs/tools.md).\nimport '/usr/lib/isokernel/tools/%s.ts';\n" "$n" "$n" "$n" >"bin/$n"
  chmod 755 "bin/$n"
done
