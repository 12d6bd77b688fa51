# find: bad predicates and arguments, missing starting points
# needs: find
find . -bogus; echo "status $?"
find . -name; echo "status $?"
find . -type q; echo "status $?"
find missing; echo "status $?"
find . -maxdepth 0 x; echo "status $?"
find . -mtime abc; echo "status $?"
