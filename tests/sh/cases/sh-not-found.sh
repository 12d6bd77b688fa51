# status 127 and dash's message for a missing command
nosuchcommand_xyz arg
echo $?
./nosuchfile_xyz
echo $?
/nonexistent/dir/cmd
echo $?
nosuchcommand_xyz 2>/dev/null
echo quiet $?
