# a pipeline in the background
# needs: tr cat
echo data | tr a-z A-Z > out &
wait
cat out
(echo x; exit 2) | (cat; exit 6) &
wait $!
echo "status $?"
