# assignments inside arithmetic
x=5
echo $((x += 3)) $x
echo $((x -= 1)) $((x *= 2)) $((x /= 7)) $((x %= 3)) $x
echo $((y = 7)) $y
echo $((z = y << 1)) $((z |= 1)) $((z &= 6)) $((z ^= 1))
: $((w = 10))
echo $w
a=3; b=4
echo $((a = b = 9)) $a $b
