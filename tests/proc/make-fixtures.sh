#!/usr/bin/env bash
# Writes the files shebang.c spawns into DIR, executable:
#   shebang-script   `#!INTERPRETER echo-argv` (INTERPRETER: the helper program's path)
#   shebang-missing  `#!/no/such/interpreter`
#   not-a-program    plain text: neither a program nor a script
# build.sh makes them in bin/ for the kernel (the helper is /t/helper.wasm there);
# native-check.sh in its build directory, with the native helper.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: make-fixtures.sh DIR INTERPRETER" >&2; exit 2; }
dir=$1 interp=$2
printf '#!%s echo-argv\n# run by shebang.c: the helper prints its argv\n' "$interp" >"$dir/shebang-script"
printf '#!/no/such/interpreter\n' >"$dir/shebang-missing"
printf 'neither a WebAssembly module nor a #! script\n' >"$dir/not-a-program"
chmod 755 "$dir/shebang-script" "$dir/shebang-missing" "$dir/not-a-program"
