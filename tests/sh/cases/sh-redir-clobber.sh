# noclobber and >|
# needs: cat
echo a > f
set -C
echo b > f
echo "status $?"
cat f
echo c >| f
cat f
echo d >> f
cat f
echo e > /dev/null && echo devnull-ok
set +C
echo f > f
cat f
