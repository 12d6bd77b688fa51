# a long pipeline, data through every stage
# needs: seq sed grep wc sort tail
seq 1 200 | sed 's/$/x/' | grep 1 | sed 's/x//' | wc -l
seq 1 5 | while read i; do echo $((i * i)); done | sort -n | tail -n 2
