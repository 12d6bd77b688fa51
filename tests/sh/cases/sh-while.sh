# while loops
i=0
while [ $i -lt 3 ]; do echo "i=$i"; i=$((i + 1)); done
while false; do echo never; done
n=0
while n=$((n + 1)); [ $n -le 2 ]; do echo "n=$n"; done
printf 'a\nb\n' > f
while read line; do echo "read $line"; done < f
