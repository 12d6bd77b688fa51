# echo as dash has it: -n, backslash escapes always on
echo hello world
echo -n no newline; echo
echo 'a\tb' "c\nd"
echo 'stop\c here' after
echo '\0101\0102' '\\x'
echo -- -n
echo -e x
echo ""
echo "" ""; echo a "" b
