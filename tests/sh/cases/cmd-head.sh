# head: -n, -c, negative counts, the old -N form, several files
# needs: head seq printf
seq 20 > nums
head nums
head -n 3 nums
head -3 nums
head -c 5 nums
head -n -17 nums
head -c -45 nums
printf 'a\nb' > nonl
head -n 1 nums nonl
head -q -n 1 nums nonl
head -v -n 1 nums
head -n 1 missing nums; echo "status $?"
head -n x nums; echo "status $?"
seq 5 | head -n 2
