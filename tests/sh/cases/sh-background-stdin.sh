# a background command reads /dev/null, not the script's input
# needs: cat
# stdin: line one\nline two\n
cat &
wait
read l
echo "[$l]"
