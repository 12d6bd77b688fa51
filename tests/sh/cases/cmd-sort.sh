# sort: plain, -r, -n, -u, -f, and the last-resort comparison
# needs: sort printf
printf 'banana\napple\nCherry\napple\n10\n9\n-1\n' > f
sort f
sort -r f
sort -n f
sort -u f
sort -f f
sort -fu f
printf '3\n1\n2\n' | sort -nr
printf 'b\na\n' | sort - f | head -n 3
