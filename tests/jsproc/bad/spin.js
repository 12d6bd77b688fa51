// Computes forever without a system call.
console.log('spinning');
let n = 0;
for (;;) n++;
