# backslash-newline joins lines
ec\
ho joined
x=ab\
cd
echo $x
if true; \
then echo then; fi
echo one \
  two \
  three
