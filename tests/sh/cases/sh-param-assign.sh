# ${x:=word} and ${x=word} assign
unset a b; c=
echo ${a=first} ${a=second}
echo "${b:=one}" "$b"
echo "[${c=kept}]" "[${c:=replaced}]" "$c"
: ${d:=via-colon}
echo $d
