// Allocates without end: the isolate reaches its heap limit.
const keep = [];
for (let i = 0; ; i++) keep.push({ i, s: 'x' + i, a: [i, i + 1] });
