# exec of a missing command
echo before
exec nonexistent_cmd_zz
echo never
