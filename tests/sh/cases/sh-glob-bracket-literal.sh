# a [ without a closing ] is an ordinary character
: > 'a[' ; : > ab
echo a[ [ a[b
[ 1 = 1 ] && echo test-ok
echo a[b]
echo [ab]
