# comments
echo a # a comment
echo b#not-a-comment
echo '#quoted' "#dq" \#esc
# echo hidden
  # indented comment
echo c; # after a semicolon
x=1#2; echo $x
