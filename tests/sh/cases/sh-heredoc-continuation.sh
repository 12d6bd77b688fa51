# backslash-newline inside an unquoted here-document joins lines
# needs: cat
cat <<EOF
one \
two
three\\
EOF
cat <<'EOF'
kept \
as is
EOF
