# ? and [...] patterns
: > a1; : > a2; : > b1; : > ab; : > 'a-'
echo a?
echo [ab]1
echo a[0-9]
echo a[!0-9]
echo [a-b][12]
echo a[-]
echo ?1
