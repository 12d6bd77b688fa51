# read loops over files and pipes, sharing the input with other commands
# needs: cat
printf '1 one\n2 two\n3 three\n' > data
while read n word; do echo "$word=$n"; done < data
{ read first; cat; } < data
sum=0
while read n rest; do sum=$((sum + n)); done < data
echo "sum $sum"
