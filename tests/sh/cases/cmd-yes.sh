# yes: repeats its arguments until the reader goes away
# needs: yes head
yes | head -n 3
yes a b | head -n 2
yes '' | head -n 2
