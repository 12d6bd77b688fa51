# for over a pattern
: > f1.dat; : > f2.dat; : > f3.txt
for f in *.dat; do echo "data $f"; done
for f in *.none; do echo "literal $f"; done
