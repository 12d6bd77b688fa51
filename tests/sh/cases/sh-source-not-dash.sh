# `source` is a synonym for `.` here; dash has no such builtin
# known: dash has no `source` builtin (POSIX does not either); this shell accepts it as `.`
echo 'echo sourced' > s.sh
source ./s.sh
