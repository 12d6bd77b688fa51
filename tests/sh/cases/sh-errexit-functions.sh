# set -e inside functions and subshells
set -e
f() { echo "f start"; false; echo "f never"; }
g() { f; echo "g never"; }
if g; then echo "g ok"; else echo "g failed"; fi
(set +e; false; echo "subshell continues with +e")
h() { return 1; }
h || echo "h returned 1"
echo before-end
f
echo never
