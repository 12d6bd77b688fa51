# sed -i: edits files in place, with a backup suffix
# needs: sed printf cat
printf 'one\ntwo\n' > f
sed -i 's/one/1/' f && cat f
sed -i.bak 's/two/2/' f && cat f f.bak
printf 'x\ny\n' > g
sed -n -i '2p' f g && cat f g
