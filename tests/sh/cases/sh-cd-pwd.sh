# cd, pwd, PWD and OLDPWD
# needs: mkdir sed
mkdir -p a/b
here=$(pwd)
cd a/b
pwd | sed "s#^$here#HERE#"
echo "$PWD" | sed "s#^$here#HERE#"
echo "$OLDPWD" | sed "s#^$here#HERE#"
cd ..
pwd | sed "s#^$here#HERE#"
cd - | sed "s#^$here#HERE#"
cd "$here"
cd ./a/../a/./b && pwd | sed "s#^$here#HERE#"
cd /nonexistent_dir_x
echo "status $?"
cd "$here"
cd
[ "$(pwd)" = "$HOME" ] && echo home
