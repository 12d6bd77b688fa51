# redefining and unsetting functions
f() { echo first; }
f
f() { echo second; }
f
unset -f f
f 2>/dev/null || echo "gone: $?"
self() { echo "run once"; self() { echo "redefined inside"; }; }
self
self
echo() { command echo "wrapped: $*"; }
echo hi
unset -f echo
echo plain
