# the status of loops
for i in 1; do false; done; echo $?
for i in 1; do true; done; echo $?
i=0; while [ $i -lt 1 ]; do i=1; false; done; echo $?
x=$(for i in a b; do echo $i; done); echo $x
