# set -u: unset parameters are errors
set -u
x=1
echo $x ${y-default} ${y:-default2}
echo "${#}" "$@" "$*"
(echo $nope; echo never)
echo "status $?"
echo $also_nope
echo never
