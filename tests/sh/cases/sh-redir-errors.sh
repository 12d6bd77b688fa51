# redirection failures: messages and statuses, the shell goes on
# needs: cat
cat < /nonexistent/file
echo "status $?"
echo x > /nonexistent/dir/file
echo "status $?"
: < nofile
echo "status $?"
{ echo never; } < nofile
echo "status $?"
echo hi >&9
echo "status $?"
