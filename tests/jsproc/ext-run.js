console.log('run by extension', process.argv.slice(2).join(' '));
