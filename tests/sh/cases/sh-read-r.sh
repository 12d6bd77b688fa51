# backslashes: escapes and continuation without -r, literal with -r
printf 'a\\ b c\\\nd\n' > in1
read x y < in1; echo "[$x] [$y]"
read -r x y < in1; echo "[$x] [$y]"
printf 'tab\\tx\n' > in2
read v < in2; echo "[$v]"
read -r v < in2; echo "[$v]"
