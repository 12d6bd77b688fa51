# redirections on a function definition apply at each call
# needs: sed cat
f() { echo out; echo err >&2; } 2>&1
f 2>/dev/null | sed 's/^/pipe: /'
g() { echo "to file"; } > gout
g; g
cat gout
