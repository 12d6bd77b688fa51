# here-documents
# needs: cat
cat <<EOF
plain text
  indented
EOF
x=value
cat <<EOF
x is $x
sum $((1 + 2))
sub $(echo inner)
escaped \$x and \\ and \`
EOF
cat <<END; echo after
on same line
END
