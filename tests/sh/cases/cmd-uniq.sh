# uniq: adjacent duplicates, -c -d -u -i, skipping fields and characters
# needs: uniq printf
printf 'a\na\nb\nA\na\nc c\nd c\nc\n' > f
uniq f
uniq -c f
uniq -d f
uniq -u f
uniq -i f
uniq -f 1 f
uniq -s 1 -c f
printf 'x\nx\ny\n' | uniq -c
uniq missing; echo "status $?"
