# here-documents inside functions, loops and subshells
# needs: cat
f() {
  cat <<EOF
in function: $1
EOF
}
f one
f two
for i in 1 2; do
  cat <<EOF
loop $i
EOF
done
(cat <<EOF
in subshell
EOF
)
x=$(cat <<EOF
in substitution
EOF
)
echo "$x"
