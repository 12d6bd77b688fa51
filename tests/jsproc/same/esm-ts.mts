// TypeScript (erasable syntax) as an ES module importing another .mts file.
import { scale, type Shape } from './shapes.mts';
const shapes: Shape[] = [{ kind: 'square', side: 2 }, { kind: 'circle', r: 1 }];
for (const s of shapes) console.log(s.kind, scale(s, 3));
const x = (42 as unknown) as number;
console.log(x satisfies number, import.meta.url.endsWith('esm-ts.mts'));
