# syntax errors reported by eval, in subshells
(eval 'echo ok; (')
echo "status $?"
(eval 'case')
echo "status $?"
(eval 'for 1 in x; do :; done')
echo "status $?"
(eval '"unterminated')
echo "status $?"
(eval 'echo ${x')
echo "status $?"
(eval 'a |')
echo "status $?"
(eval 'done')
echo "status $?"
