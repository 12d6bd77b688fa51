# ; and newlines, && and ||
echo a; echo b
true && echo and-true
false && echo never
false || echo or-false
true || echo never
false && echo x || echo fallback
true && false || echo after-chain
echo $?
true &&
echo newline-after-and
false ||
echo newline-after-or
