export type Shape = { kind: 'square'; side: number } | { kind: 'circle'; r: number };
export function scale(s: Shape, k: number): number {
  return s.kind === 'square' ? s.side * k : Math.round(Math.PI * s.r * k * 100) / 100;
}
