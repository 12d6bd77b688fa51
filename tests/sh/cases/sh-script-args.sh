# a script's arguments
# needs: sed
# args: first "second" third
echo "$# args"
for a; do echo "[$a]"; done
echo "$0" | sed 's#.*/##'
