# rm: files, -r trees, -f, -d, -v, and what it refuses
# needs: rm mkdir touch ls
touch a b c
rm a && ls
rm missing; echo "status $?"
rm -f missing; echo "status $?"
mkdir -p d/e && touch d/e/f
rm d; echo "status $?"
rm -r d && ls
mkdir empty
rm -d empty && ls
rm -v b
rm -r .; echo "status $?"
rm -rf ./..; echo "status $?"
rm; echo "status $?"
rm -f; echo "status $?"
mkdir e2 && rm -dv e2
mkdir -p t/u && touch t/u/v && rm -rv t
