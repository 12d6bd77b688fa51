# status 126: a file without execute permission, a directory
# needs: mkdir
echo 'echo hi' > script
./script
echo $?
mkdir dir
./dir
echo $?
