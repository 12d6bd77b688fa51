# case with patterns
for w in apple banana cherry date 'x y' '' 42; do
  case $w in
    apple) echo "$w: fruit a";;
    b*) echo "$w: starts with b";;
    ch*|da*) echo "$w: ch or da";;
    *' '*) echo "$w: has a space";;
    '') echo "empty";;
    [0-9]*) echo "$w: number";;
  esac
done
case x in (x) echo paren-form;; esac
case abc in a?c) echo question;; esac
case a in b) echo no;; *) echo default;; esac
case '*' in \*) echo star-literal;; esac
case x in
  x)
    echo first
    ;;
  x)
    echo second-never
    ;;
esac
case y in y) echo no-dsemi-last
esac
