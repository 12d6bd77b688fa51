# chmod: octal and symbolic modes, -R, -v/-c, errors
# needs: chmod stat mkdir touch
touch f
chmod 640 f && stat -c %a f
chmod u+x,g-r f && stat -c %a f
chmod a=r f && stat -c '%a %A' f
chmod o+w,u=rwx f && stat -c %a f
chmod g=u f && stat -c %a f
chmod -w f && stat -c %a f
mkdir -p d/e && touch d/e/x
chmod -R 700 d && stat -c %a d d/e d/e/x
chmod -v 644 f
chmod -c 644 f
chmod -c 600 f
chmod 644 missing; echo "status $?"
chmod xyz f; echo "status $?"
chmod 644; echo "status $?"
