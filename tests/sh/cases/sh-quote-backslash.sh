# backslash outside quotes
echo \$x \"a\" \'b\' \\ \a
echo a\ b\ \ c
echo \
continued
echo x\
y
echo "x\
y"
echo 'x\
y'
