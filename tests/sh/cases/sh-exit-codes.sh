# exit statuses: 0-255, exit without argument
(exit 0); echo $?
(exit 255); echo $?
(exit 256); echo $?
(false; exit); echo $?
sh -c 'exit 42'; echo $?
f() { (exit 7); }; f; echo $?
