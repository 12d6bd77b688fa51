# ls -R: directories in order, with headers and blank lines
# needs: ls mkdir touch
mkdir -p t/a/deep t/b
touch t/f t/a/g t/a/deep/h t/b/i
ls -R t
ls -R t/a t/b
