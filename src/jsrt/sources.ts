// The sources of the modules a process loaded (after type stripping), by path: what the
// printer of an uncaught exception shows the line of.
const sources = new Map<string, string>();

export function rememberSource(file: string, source: string): void {
  sources.set(file, source);
}

/** Line `line` (1-based) of a loaded module, or null. */
export function sourceLine(file: string, line: number): string | null {
  const s = sources.get(file);
  if (s === undefined) return null;
  let at = 0;
  for (let i = 1; i < line; i++) {
    at = s.indexOf('\n', at) + 1;
    if (at === 0) return null;
  }
  const end = s.indexOf('\n', at);
  return s.slice(at, end < 0 ? s.length : end).replace(/\r$/, '');
}
