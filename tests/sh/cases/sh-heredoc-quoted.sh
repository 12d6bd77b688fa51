# a quoted delimiter: no expansion
# needs: cat
x=value
cat <<'EOF'
$x $(echo no) `echo no` \$x
EOF
cat <<"EOF"
still $x
EOF
cat <<\EOF
backslashed $x
EOF
cat <<E"O"F
partly quoted $x
EOF
