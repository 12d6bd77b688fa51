# pipelines of programs
# needs: cat tr wc sort head
echo hello | cat
printf 'b\na\nc\n' | sort
echo abc | tr a-z A-Z | cat
printf '1\n2\n3\n4\n' | head -n 2
printf 'x y z\n' | wc -w
