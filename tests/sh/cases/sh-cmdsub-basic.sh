# $(...) substitution
echo $(echo hello)
echo "$(echo one; echo two)"
echo $(echo $(echo nested))
x=$(printf 'a b')
echo "[$x]"
echo "$(echo "quoted ( paren )")"
echo $( echo spaces )
echo "$(case a in a) echo case-in-subst;; esac)"
echo pre$(echo mid)post
