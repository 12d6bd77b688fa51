# $LINENO and error lines, in functions and subshells
echo $LINENO
f() {
  echo "in f: $LINENO"
}
f
(echo "in subshell: $LINENO")
x=$(echo "in subst: $LINENO")
echo "$x"
nonexistent_zz_cmd
(nonexistent_in_sub)
echo $(nonexistent_in_subst)
