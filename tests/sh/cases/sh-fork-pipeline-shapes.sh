# every kind of command as a pipeline element
# needs: cat tr
echo a | { read x; echo "group $x"; } | cat
echo b | (read x; echo "subshell $x") | tr a-z A-Z
echo c | while read x; do echo "while $x"; done
echo d | if read x; then echo "if $x"; fi
echo e | case e in e) cat;; esac
echo f | for i in 1; do cat; done
x=unchanged; echo g | x=changed cat; echo "x=$x"
! echo h | cat
echo "status $?"
f() { tr a-z A-Z; }
echo i | f | f
