# leading dots need to be matched explicitly
: > .dot1; : > .dot2; : > visible
echo *
echo .d*
echo .*dot*
echo ?dot1
