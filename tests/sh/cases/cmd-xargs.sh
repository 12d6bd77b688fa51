# xargs: default echo, -n, -I, -0, -r, quotes, exit statuses
# needs: xargs printf echo sh
printf 'a b\nc "d e" f\\ g\n' | xargs
printf '1 2 3 4 5\n' | xargs -n 2
printf '1 2 3 4 5\n' | xargs -n 2 echo x
printf 'x\ny\n' | xargs -I{} echo '<{}>'
printf 'one\0two three\0' | xargs -0 -n 1
printf '' | xargs echo ran
printf '' | xargs -r echo ran
printf 'a,b,c' | xargs -d, -n 1
echo a | xargs false; echo "status $?"
echo a | xargs sh -c 'exit 255'; echo "status $?"
echo a | xargs nonexistent_cmd_x; echo "status $?"
echo "a 'b" | xargs; echo "status $?"
