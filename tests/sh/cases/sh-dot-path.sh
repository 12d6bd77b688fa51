# . searches PATH for a name without a slash
# needs: mkdir
mkdir lib
echo 'echo "from PATH lib"' > lib/inc.sh
PATH=$PWD/lib:$PATH
. inc.sh
