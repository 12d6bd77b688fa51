# touch: creating, -d and -t dates, -r reference, -c, -a/-m
# needs: touch stat
touch new && stat -c %s new
touch -d '2020-02-29 12:34:56' f && stat -c %Y f
touch -t 199912312359.30 g && stat -c %Y g
touch -r f h && stat -c %Y h
touch -c none; echo "status $?"
touch -d @1000000000 t && touch -m -d @2000000000 t && stat -c '%X %Y' t
touch -d @1000000000 t && touch -a -d @1500000000 t && stat -c '%X %Y' t
touch no/such; echo "status $?"
touch -d 'not a date' x; echo "status $?"
