# sed: line, $, regex and range addresses, !, first~step, addr,+N
# needs: sed seq
seq 10 > n
sed -n 3p n
sed -n '$p' n
sed '2,8d' n
sed -n '/4/,/6/p' n
sed -n '1~3p' n
sed -n '0~4p' n
sed -n '7,+2p' n
sed '3,$!d' n
sed -n '/^1/p' n
sed '5q' n
sed -n '2{p;p}' n
sed -n '$=' n
