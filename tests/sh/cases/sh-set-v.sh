# set -v writes the lines it reads to stderr
set -v
echo one
x=1; echo "$x"
if true; then
  echo inside
fi
set +v
echo quiet
