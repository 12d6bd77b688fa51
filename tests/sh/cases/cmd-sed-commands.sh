# sed: a i c y = l n N D P h H g G x, -e several times, -s
# needs: sed printf
printf 'alpha\nbeta\ngamma\n' > f
sed '2a\
after beta' f
sed '1i before' f
sed '2c changed' f
sed 'y/abg/ABG/' f
sed = f
sed -n l f
sed 'n;d' f
sed 'N;s/\n/+/' f
sed '$!N;P;D' f
sed -n 'h;n;G;p' f
sed '1!G;h;$!d' f
sed -e 's/a/A/' -e 's/e/E/' f
sed ':a;N;$!ba;s/\n/,/g' f
printf 'x\n' > g
sed -s -n '$p' f g
