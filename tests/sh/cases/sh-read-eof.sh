# read at end of input: status 1, the partial line is still assigned
printf 'no newline' > f
read line < f; echo "$? [$line]"
read line < /dev/null; echo "$? [$line]"
printf 'a\nb' > g
while read l; do echo "got $l"; done < g
while read l || [ -n "$l" ]; do echo "got2 $l"; done < g
