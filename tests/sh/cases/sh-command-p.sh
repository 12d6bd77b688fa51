# command -p uses the default PATH
PATH=/nonexistent
command -p printf '%s\n' "found with -p"
command -p sh -c 'echo sh via -p'
nosuch_zz 2>/dev/null || echo "plain lookup fails: $?"
