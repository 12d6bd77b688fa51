# return and function status
f() { return 3; echo never; }
f; echo $?
g() { false; }
g; echo $?
h() { true; return; }
h; echo $?
k() { false; return; }
k; echo $?
r() { for i in 1 2 3; do [ $i = 2 ] && return $i; done; }
r; echo $?
