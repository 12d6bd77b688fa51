// Resolution and interop: packages with "exports" (conditions, subpaths, patterns), "main",
// scoped packages, CommonJS from ES modules and back, JSON, createRequire, import.meta.
import hello, { name } from 'pkg';
import { feature } from 'pkg/feature';
import { data } from 'pkg/data/a';
import add from 'cjspkg';
import { version } from 'cjspkg';
import { kind } from '@scope/dual';
import { createRequire } from 'node:module';
import fs from 'fs';
const require = createRequire(import.meta.url);
console.log(hello('world'), name, feature, data, add(2, 3), version, kind, require('@scope/dual').kind);
console.log(require('./node_modules/pkg/package.json').name, typeof fs.readFileSync, require('module').isBuiltin('node:fs'));
console.log(import.meta.resolve('pkg').endsWith('/node_modules/pkg/lib/index.js'), import.meta.dirname === process.cwd() + '/same' || import.meta.dirname.endsWith('/same'));
try { await import('pkg/missing'); } catch (e) { console.log(e.code); }
try { require('nope-nope'); } catch (e) { console.log(e.code); }
const esmFromCjs = require('pkg');
console.log(typeof esmFromCjs.default, esmFromCjs.name);
