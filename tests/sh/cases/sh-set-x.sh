# set -x traces commands on stderr
# compare: stdout status stderr
set -x
echo traced "two words"
x=1 y=$((2 + 3))
f() { echo in-f; }
f arg
: ${x}
set +x
echo untraced
