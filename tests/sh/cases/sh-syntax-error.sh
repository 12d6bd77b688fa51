# a syntax error stops the script after the commands before it ran
echo before
if true; then
  echo never
fi fi
echo never
