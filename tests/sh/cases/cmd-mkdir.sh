# mkdir: -p for parents and existing directories, -m, -v, errors
# needs: mkdir stat touch
mkdir a && echo made
mkdir a; echo "status $?"
mkdir -p a/b/c && echo deep
mkdir -p a/b/c; echo "status $?"
mkdir x/y; echo "status $?"
mkdir -m 700 private && stat -c %a private
mkdir -m u=rwx,go=rx open && stat -c %a open
mkdir -pv p/q
touch file
mkdir -p file/sub; echo "status $?"
mkdir -m bad z; echo "status $?"
