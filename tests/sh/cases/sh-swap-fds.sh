# swapping stdout and stderr through a third descriptor
# needs: sed
{ echo to-stdout; echo to-stderr >&2; } 3>&1 1>&2 2>&3 3>&- 2>/dev/null
echo "---"
f() { echo out; echo err >&2; }
f 3>&1 1>/dev/null 2>&3 | sed 's/^/piped: /'
