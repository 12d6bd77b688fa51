# here-document bodies with quotes, $@, and an empty body
# needs: cat
set -- p1 'p 2'
cat <<EOF
"double" 'single' $@ $# ${1} ${2:-none}
EOF
cat <<EOF
EOF
echo "empty body done"
cat <<-EOF
EOF
x=$(cat <<EOF
  keeps leading spaces
EOF
)
echo "[$x]"
