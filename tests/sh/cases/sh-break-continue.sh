# break and continue, with levels
for i in 1 2 3 4; do
  [ $i = 2 ] && continue
  [ $i = 4 ] && break
  echo "i=$i"
done
for a in 1 2; do
  for b in x y z; do
    [ $b = y ] && continue 2
    echo "$a$b"
  done
done
for a in 1 2; do
  for b in x y; do
    echo "$a$b"
    break 2
  done
done
i=0
while true; do i=$((i + 1)); [ $i -gt 3 ] && break; done
echo "i=$i"
until false; do break; done
echo done
f() { break; }
for i in 1 2; do f; echo "break in a function does not leave the caller's loop: $i"; done
