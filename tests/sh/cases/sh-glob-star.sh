# * matches names in sorted order
: > a.txt; : > b.txt; : > c.log; : > .hidden
echo *
echo *.txt
echo *.log *.txt
echo a*
echo *a*
for f in *.txt; do echo "file $f"; done
