# cp -n (no clobber), -v, -a with links, -T
# needs: cp ln ls cat mkdir
echo new > src
echo old > dst
cp -n src dst; cat dst
cp -v src dst
ln -s src link
cp -a link copy
ls -l copy | cut -c1
cp link deref
ls -l deref | cut -c1
mkdir d1 d2
cp -rT d1 d2 && echo same-level
