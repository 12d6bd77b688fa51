# tail: -n, +N, -c, the old forms, several files, a pipe
# needs: tail seq printf
seq 20 > nums
tail nums
tail -n 3 nums
tail -3 nums
tail -n +18 nums
tail +19 nums
tail -c 6 nums
tail -c +48 nums
printf 'a\nb' > nonl
tail -n 1 nonl; echo
tail -n 1 nums nonl; echo
seq 1000 | tail -n 2
tail -n 1 missing; echo "status $?"
tail -n x nums; echo "status $?"
# the last N of a long stream (more than it keeps before cutting)
seq 200000 | tail -n 3
seq 200000 | tail -c 14
