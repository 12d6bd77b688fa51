# exported variables reach programs; unexported ones do not
# needs: env grep
A=exported; export A
B=plain
export C=direct
sh -c 'echo "[$A] [${B-unset}] [$C]"'
D=once sh -c 'echo "[$D]"'
echo "[${D-unset}]"
export E
E=later
sh -c 'echo "[$E]"'
env | grep -c '^A=exported$'
