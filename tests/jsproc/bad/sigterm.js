// Waits for SIGTERM (caught), reports, exits 0; a second listener-free SIGINT would kill it.
process.on('SIGTERM', (name) => {
  console.log('got', name);
  clearInterval(t);
});
const t = setInterval(() => {}, 1000);
console.log('waiting');
