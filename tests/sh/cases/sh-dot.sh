# . runs a file in the current shell
# needs: cat
cat > lib.sh <<'EOF'
libvar=set-by-lib
libfunc() { echo "libfunc $1"; }
echo "sourced with $# args"
EOF
. ./lib.sh
echo $libvar
libfunc x
cat > ret.sh <<'EOF'
echo before-return
return 5
echo never
EOF
. ./ret.sh
echo "status $?"
. ./nonexistent_file.sh
echo never
