# test and [ with strings and integers
t() { if "$@"; then echo "yes: $*"; else echo "no($?): $*"; fi; }
t test -n abc
t test -z ""
t [ abc = abc ]
t [ abc != abd ]
t [ 3 -lt 10 ]
t [ 10 -le 9 ]
t [ 5 -eq 5 ]
t [ -5 -gt -10 ]
t [ 2 -ge 2 ]
t [ 1 -ne 1 ]
t [ ! -n "" ]
t [ a = a -a b = b ]
t [ a = b -o b = b ]
t [ \( a = a \) ]
t [ abc ]
t [ "" ]
t [ ]
t [ a \< b ]
t test abc -eq 1
t [ 1 = 1
