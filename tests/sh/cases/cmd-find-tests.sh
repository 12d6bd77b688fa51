# find: -size, -mtime, -newer, -empty, -perm, -iname
# needs: find mkdir touch printf chmod sort head
head -c 1024 /dev/zero > kilo
printf 'x' > byte
: > empty
mkdir emptydir
touch -d '2000-01-01' ancient
touch -d '2010-01-01' ref
chmod 755 kilo
find . -size +1 -type f | sort
find . -size 1 -type f | sort
find . -size -2c -type f | sort
find . -size 1k | sort
find . -mtime +365 | sort
find . -newer ref -type f | sort
find . -empty | sort
find . -perm 755 -type f
find . -iname KILO
