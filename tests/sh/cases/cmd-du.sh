# du: exact sizes with -b, -s, -c, -a on files (block counts differ by filesystem)
# needs: du printf head
head -c 1000 /dev/zero > thousand
head -c 5000 /dev/zero > fivek
printf 'x' > one
du -b thousand fivek one
du -bc thousand one
du --apparent-size -k fivek
du -b -h fivek
du missing; echo "status $?"
