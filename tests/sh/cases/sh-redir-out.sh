# > creates/truncates, >> appends
# needs: cat
echo one > f
echo two > f
cat f
echo three >> f
cat f
>empty
[ -s empty ] || echo empty-is-empty
echo x 1>g; cat g
