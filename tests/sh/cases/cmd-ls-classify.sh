# ls -F and -p: indicators for directories, executables and links
# needs: ls mkdir touch chmod ln
mkdir d
touch plain run
chmod +x run
ln -s plain link
ls -F
ls -p
ls -1F d run
