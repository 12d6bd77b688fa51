# mv: renaming, moving into a directory, several files, and refusals
# needs: mv mkdir ls cat touch
echo a > f
mv f g && cat g
mkdir d
mv g d && ls d
touch x y
mv x y d && ls d
mv d e && ls e
mv missing z; echo "status $?"
mkdir e/sub
mv e e/sub; echo "status $?"
touch same
mv same same; echo "status $?"
mv -v e/x .
mv; echo "status $?"
mkdir dd && touch ff
mv dd ff; echo "status $?"
mkdir -p d2/ff && mv ff d2; echo "status $?"
