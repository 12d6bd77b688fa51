// An exception nobody catches: its stack on stderr, status 1.
function inner() {
  throw new TypeError('nobody catches this');
}
console.log('before');
setTimeout(inner, 1);
