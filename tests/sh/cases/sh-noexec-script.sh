# a file with execute permission but no #! runs as a shell script
# needs: chmod
printf 'echo "run as script: $0 $1"\nexit 4\n' > plain
chmod +x plain
./plain arg1
echo $?
