# a longer script mixing features: word count of generated text
# needs: sort uniq head wc
words="the quick brown fox jumps over the lazy dog the end"
count() {
  for w in $1; do echo "$w"; done | sort | uniq -c | sort -rn | head -n 3
}
count "$words"
n=0
for w in $words; do
  case $w in
    the) n=$((n + 1));;
  esac
done
echo "the: $n"
total=$(for w in $words; do echo $w; done | wc -l)
echo "total: $((total))"
