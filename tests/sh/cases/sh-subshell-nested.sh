# subshells in subshells
# needs: tr
( ( (echo deep; exit 2); echo "mid $?"; exit 3); echo "outer $?")
x=$( (echo a; (echo b)) | tr '\n' ' ')
echo "$x"
