# here-documents inside commands that run in child shells
# needs: cat sed
{ cat <<EOF
one
two
EOF
} | sed 's/^/> /'
while read l; do echo "[$l]"; done <<EOF | cat
x
y
EOF
(cat <<'EOF'
quoted $HOME
EOF
) | cat
x=$(while read l; do printf '%s,' "$l"; done <<EOF
p
q
EOF
)
echo "$x"
