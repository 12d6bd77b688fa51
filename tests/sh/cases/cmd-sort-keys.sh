# sort -k and -t: fields, character positions, per-key options, -s
# needs: sort printf
printf 'bob 25 x\nalice 30 y\ncarol 25 a\ndave 5 z\n' > people
sort -k2 people
sort -k2,2n people
sort -k2,2n -k1,1r people
sort -k2,2nr -k3 people
sort -k3.1 people
sort -s -k2,2n people
printf 'a:3\nb:1\nc:2\n' | sort -t: -k2
printf 'a:3\nb:1\nc:2\n' | sort -t: -k2n -r
printf 'x 2\ny 1\nz 2\n' | sort -u -k2,2
