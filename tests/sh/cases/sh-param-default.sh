# ${x:-word} and ${x-word}
unset u; e=; s=set
echo "${u:-d1} ${u-d2} [${e:-d3}] [${e-d4}] ${s:-d5} ${s-d6}"
echo ${u:-$s} ${u:-"a b"} ${u:-'$s'}
echo "${u:-"nested quotes"}"
echo ${u:-~}
echo "${u-}" end
