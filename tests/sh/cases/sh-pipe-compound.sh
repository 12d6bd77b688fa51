# compound commands in pipelines
# needs: sed tr sort
printf '1\n2\n3\n' | while read n; do echo "n=$n"; done
for i in a b c; do echo $i; done | tr a-c A-C
{ echo one; echo two; } | sed 's/^/> /'
if true; then echo yes; fi | cat
printf 'b\na\n' | (sort; echo end)
case x in x) echo matched;; esac | cat
