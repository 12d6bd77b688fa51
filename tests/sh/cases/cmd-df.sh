# df: the header and one line per file (the numbers are the host's, the names are not)
# needs: df head wc tr
df . | head -n 1 | tr -s ' '
df -P . | head -n 1 | tr -s ' '
df -h . | head -n 1 | tr -s ' '
df -i . | head -n 1 | tr -s ' ' 
df . | wc -l
df missing; echo "status $?"
