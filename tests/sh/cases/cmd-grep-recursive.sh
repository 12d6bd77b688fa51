# grep -r: a tree (sorted, as directory order differs), --include, without a file operand
# needs: grep mkdir printf sort
mkdir -p src/lib docs
printf 'int main;\n' > src/main.c
printf 'int helper;\n' > src/lib/util.c
printf 'int in docs\n' > docs/notes.txt
grep -r int src | sort
grep -rn int . | sort
grep -rl int | sort
grep -r --include='*.c' int . | sort
grep -rc int docs
