# grep: basic and extended regexes, -F, bracket expressions, anchors
# needs: grep printf
printf 'abc\na.c\nabbbc\nac\nx+y\n' > f
grep 'a.c' f
grep -F 'a.c' f
grep 'ab*c' f
grep 'ab\{2,\}c' f
grep -E 'ab+c' f
grep -E 'b{3}|^ac$' f
grep -E 'x\+y|z' f
grep '^a[.b]c$' f
grep '[[:punct:]]' f
grep 'x+y' f
grep -E '(ab|a\.)c' f
