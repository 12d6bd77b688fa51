# a subshell sees unexported variables, functions, $$, positional parameters, options
# needs: grep tr
set -- p1 "p 2"
v="some value"
f() { echo "f: $1"; }
top=$$
(echo "$v"; f in-sub; echo "$# $2"; [ "$$" = "$top" ] && echo same-pid)
(set -o | grep noglob)
set -f
(echo *; set -o | grep noglob)
set +f
IFS=:
(x=a:b:c; set -- $x; echo $#)
unset IFS
(x='a b'; set -- $x; echo $#)
