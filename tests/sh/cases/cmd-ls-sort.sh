# ls -t -r -S: by modification time, reversed, by size
# needs: ls touch printf
touch -d '2001-01-01' old
touch -d '2010-06-15 12:00' mid
touch -d '2020-12-31 23:59:59' new
printf 'aaaaaaaaaa' > big
printf 'aaaaa' > medium
printf 'a' > small
touch -d '2000-01-01' big medium small
ls -t
ls -tr
ls -S big small medium
ls -Sr big small medium
