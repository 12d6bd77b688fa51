# a subshell's changes stay inside
x=1
(x=2; echo "inside $x"; y=3)
echo "outside $x ${y-unset}"
(unset x; echo "unset inside: ${x-gone}")
echo "still $x"
(export Z=5)
echo "Z=${Z-unset}"
