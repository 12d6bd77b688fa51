# two here-documents on one command line, and one per command
# needs: cat
cat <<A; cat <<B
first
A
second
B
while read l; do echo "[$l]"; done <<EOF
a
b
EOF
cat <<A 3<<B
to stdin
A
to fd 3
B
