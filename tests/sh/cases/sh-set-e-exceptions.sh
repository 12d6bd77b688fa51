# set -e is ignored in conditions, && || lists and after !
set -e
if false; then :; fi
while false; do :; done
false || true
false && true
! true
f() { false; echo "f goes on (called in a condition)"; }
f || true
x=$(false; echo "subst goes on")
echo "$x"
(false; echo "never in subshell")
echo never
