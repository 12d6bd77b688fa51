# ls -l: modes, links and names (dates and sizes of directories differ by filesystem)
# needs: ls mkdir touch chmod ln tr cut printf
mkdir d
printf 'hello\n' > f
touch e
chmod 640 f
chmod 755 d
ln -s f link
ln f hard
ls -l f e hard | tr -s ' ' | cut -d' ' -f1,2,3,4,5
ls -ld d | cut -c1-10
ls -l link | tr -s ' ' | cut -d' ' -f1,9-
ls -ln f | tr -s ' ' | cut -d' ' -f3,4
ls -lh f | tr -s ' ' | cut -d' ' -f5
