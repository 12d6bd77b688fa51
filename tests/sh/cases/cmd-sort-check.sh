# sort -c and -C, -o into one of the inputs, errors
# needs: sort printf cat
printf 'a\nb\nc\n' > sorted
printf 'b\na\n' > unsorted
sort -c sorted; echo "status $?"
sort -c unsorted; echo "status $?"
sort -C unsorted; echo "status $?"
sort -o unsorted unsorted && cat unsorted
sort missing; echo "status $?"
sort -k 0 sorted; echo "status $?"
sort -t ab sorted; echo "status $?"
