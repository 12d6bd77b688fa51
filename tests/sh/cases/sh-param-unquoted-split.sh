# the result of an unquoted expansion is split and globbed
x='a   b	c'
set -- $x; echo $#
set -- "$x"; echo $#
y='*.nomatch'
echo $y
z=" lead trail "
printf '[%s]' $z; echo
printf '[%s]' ${unset_v:-w1 w2}; echo
printf '[%s]' "${unset_v:-w1 w2}"; echo
