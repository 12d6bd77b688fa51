# <<- strips leading tabs
# needs: cat
if true; then
	cat <<-EOF
	tab-indented
		two tabs
	  tab then spaces
	EOF
fi
cat <<-X
	$((6 * 7))
	X
