# functions with here-documents, case and loops, run in child shells (pipelines, $(), subshells)
# needs: cat
f() {
  cat <<EOF
in f: $1
EOF
  case $1 in
    a|b) echo "ab branch";;
    *) echo "other branch";;
  esac
}
f a | cat
(f b)
x=$(f c)
echo "$x"
g() { for i in 1 2; do if [ $i = 1 ]; then echo one; else echo two; fi; done; }
g | cat
h() ( echo "subshell-bodied function"; exit 3 )
h | cat
(h); echo "status $?"
k() { echo out; } > kout
(k); cat kout
