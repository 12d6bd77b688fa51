// Media types by file extension: the common web set (a table here rather than an npm
// package, because httpd runs from /sbin inside the image, where node_modules is not).
// `--mime EXT=TYPE` adds to or overrides it.

const TEXT = '; charset=utf-8';

export const MIME_TYPES: Record<string, string> = {
  html: `text/html${TEXT}`, htm: `text/html${TEXT}`, css: `text/css${TEXT}`, js: `text/javascript${TEXT}`,
  mjs: `text/javascript${TEXT}`, json: 'application/json', map: 'application/json', txt: `text/plain${TEXT}`,
  md: `text/markdown${TEXT}`, csv: `text/csv${TEXT}`, xml: 'application/xml', xhtml: 'application/xhtml+xml',
  svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  avif: 'image/avif', ico: 'image/vnd.microsoft.icon', bmp: 'image/bmp', tif: 'image/tiff', tiff: 'image/tiff',
  woff: 'font/woff', woff2: 'font/woff2', ttf: 'font/ttf', otf: 'font/otf', eot: 'application/vnd.ms-fontobject',
  mp3: 'audio/mpeg', ogg: 'audio/ogg', oga: 'audio/ogg', wav: 'audio/wav', flac: 'audio/flac', m4a: 'audio/mp4',
  mp4: 'video/mp4', webm: 'video/webm', ogv: 'video/ogg', mov: 'video/quicktime', avi: 'video/x-msvideo',
  pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip', tgz: 'application/gzip', tar: 'application/x-tar',
  bz2: 'application/x-bzip2', xz: 'application/x-xz', zst: 'application/zstd', '7z': 'application/x-7z-compressed',
  wasm: 'application/wasm', rss: 'application/rss+xml', atom: 'application/atom+xml', ics: 'text/calendar',
  sh: `text/x-shellscript${TEXT}`, c: `text/x-c${TEXT}`, h: `text/x-c${TEXT}`, ts: `text/plain${TEXT}`,
  toml: `application/toml`, yaml: `application/yaml`, yml: `application/yaml`, webmanifest: 'application/manifest+json',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text', epub: 'application/epub+zip', jar: 'application/java-archive',
};

export const DEFAULT_TYPE = 'application/octet-stream';

/** The type for a file name (by its last extension, case-insensitive). */
export function mimeType(name: string, extra?: Record<string, string>): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return DEFAULT_TYPE;
  const ext = base.slice(dot + 1).toLowerCase();
  if (extra && Object.hasOwn(extra, ext)) return extra[ext]!;
  return Object.hasOwn(MIME_TYPES, ext) ? MIME_TYPES[ext]! : DEFAULT_TYPE;
}
