# sed s///: flags g, N, p, I; & and \1; other delimiters; case conversion
# needs: sed printf
printf 'one two\nthree four\nfive\n' > f
sed 's/o/0/' f
sed 's/o/0/g' f
sed 's/o/0/2' f
sed -n 's/e/E/p' f
sed 's/\(t[a-z]*\) \(f[a-z]*\)/\2 \1/' f
sed -E 's/(o|e)+/<&>/g' f
sed 's|e|/|g' f
sed 's/T/t/I' f
sed 's/[a-z]*/\u&/' f
sed 's/.*/\U&/' f
sed 's/x*/-/g' f
sed 's/o/\n/' f
