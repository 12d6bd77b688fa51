# commands together: a word count of a generated text
# needs: seq sed tr sort uniq head cut grep wc
seq 1 50 | sed 's/$/ apples/' | tr ' ' '\n' | grep -v '^[0-9]*$' | sort | uniq -c
seq 100 | grep 7 | wc -l
printf 'b,2\na,1\nc,3\n' | sort -t, -k2n | cut -d, -f1 | tr '\n' ' '
echo
seq 20 | sed -n '5,10p' | sort -rn | head -n 3
