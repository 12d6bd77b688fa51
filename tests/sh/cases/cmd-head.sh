# head: -n, -c, negative counts, the old -N form, several files
# needs: head seq printf tail
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
# all but the last N of a long stream: what is certainly before them goes out as it comes
seq 100000 | head -n -99997
seq 100000 | head -c -588880 | tail -c 12
