# ${x:+word} and ${x+word}
unset u; e=; s=val
echo "[${u:+alt}] [${u+alt}] [${e:+alt}] [${e+alt}] [${s:+alt}] [${s+alt}]"
echo ${s:+"$s is set"}
set -- a b
echo ${1:+first=$1} ${3:+third}
