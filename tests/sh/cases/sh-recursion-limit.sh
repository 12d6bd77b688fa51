# a function that never stops recursing ends the shell with dash's message
f() { f; }
f
echo never
