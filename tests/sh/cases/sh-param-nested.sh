# expansions inside expansions
a=A
unset b c
echo ${b:-${c:-$a}}
echo "${b:-"${a}x"}"
echo ${b:-$(echo cmd)}
echo ${b:-$((1 + 2))}
x=${b:-${c:=set-deep}}
echo $x $c
