#!/usr/bin/env node
// Built by userland/sbin/build.sh from syslogd.ts (croner 11.0.0, MIT, where used). Do not edit.

// syslogd.ts
import isk2 from "isokernel";
import fs2 from "node:fs";

// sysloglib/config.ts
var DEFAULT_ROTATION = { maxBytes: 10 << 20, maxAgeMs: 0, keep: 5, compress: true };
function defaultConfig() {
  return { files: [{ name: "messages", match: ["*"], minSeverity: 7, rotate: { ...DEFAULT_ROTATION } }], remote: null };
}
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var int = (v, min, max) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
function checkConfig(v) {
  if (!isObj(v)) throw new Error("logs: expected an object");
  const files2 = [];
  const names = /* @__PURE__ */ new Set();
  const list = v.files ?? [];
  if (!Array.isArray(list)) throw new Error("logs.files: expected a list");
  list.forEach((f, i) => {
    const at = `logs.files[${i}]`;
    if (!isObj(f)) throw new Error(`${at}: expected an object`);
    if (typeof f.name !== "string" || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(f.name)) throw new Error(`${at}.name: expected a file name (letters, digits, _ . -)`);
    if (names.has(f.name)) throw new Error(`${at}.name: '${f.name}' twice`);
    names.add(f.name);
    const match = f.match ?? ["*"];
    if (!Array.isArray(match) || match.some((m) => typeof m !== "string" || m === "")) throw new Error(`${at}.match: expected a list of tag patterns`);
    const minSeverity = f.minSeverity ?? 7;
    if (!int(minSeverity, 0, 7)) throw new Error(`${at}.minSeverity: expected 0..7`);
    const r = isObj(f.rotate) ? f.rotate : {};
    const rotate = {
      maxBytes: r.maxBytes ?? DEFAULT_ROTATION.maxBytes,
      maxAgeMs: r.maxAgeMs ?? 0,
      keep: r.keep ?? DEFAULT_ROTATION.keep,
      compress: r.compress ?? true
    };
    if (!int(rotate.maxBytes, 0, Number.MAX_SAFE_INTEGER)) throw new Error(`${at}.rotate.maxBytes: expected bytes \u2265 0`);
    if (!int(rotate.maxAgeMs, 0, Number.MAX_SAFE_INTEGER)) throw new Error(`${at}.rotate.maxAgeMs: expected ms \u2265 0`);
    if (!int(rotate.keep, 0, 1e4)) throw new Error(`${at}.rotate.keep: expected 0..10000`);
    if (typeof rotate.compress !== "boolean") throw new Error(`${at}.rotate.compress: expected true or false`);
    files2.push({ name: f.name, match, minSeverity, rotate });
  });
  let remote = null;
  if (v.remote !== void 0 && v.remote !== null) {
    const r = v.remote;
    if (!isObj(r)) throw new Error("logs.remote: expected an object");
    if (r.protocol !== "udp" && r.protocol !== "tcp") throw new Error("logs.remote.protocol: expected udp or tcp");
    if (typeof r.host !== "string" || r.host === "") throw new Error("logs.remote.host: expected a host");
    if (!int(r.port, 1, 65535)) throw new Error("logs.remote.port: expected 1..65535");
    const facility = r.facility ?? 1;
    if (!int(facility, 0, 23)) throw new Error("logs.remote.facility: expected 0..23");
    remote = { protocol: r.protocol, host: r.host, port: r.port, facility };
  }
  return { files: files2, remote };
}
function patternRe(p) {
  return new RegExp("^" + p.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
}
function makeRouter(files2) {
  const compiled = files2.map((f) => ({
    yes: f.match.filter((m) => !m.startsWith("!")).map(patternRe),
    no: f.match.filter((m) => m.startsWith("!")).map((m) => patternRe(m.slice(1))),
    min: f.minSeverity
  }));
  const cache = /* @__PURE__ */ new Map();
  return (tag, severity) => {
    let bySev = cache.get(tag);
    if (bySev === void 0) {
      const matching = compiled.map((c) => c.yes.some((re) => re.test(tag)) && !c.no.some((re) => re.test(tag)));
      bySev = [];
      for (let s = 0; s <= 7; s++) bySev.push(compiled.flatMap((c, i) => matching[i] && s <= c.min ? [i] : []));
      if (cache.size > 1e4) cache.clear();
      cache.set(tag, bySev);
    }
    return bySev[severity] ?? [];
  };
}

// sysloglib/format.ts
var dec = new TextDecoder();
var pad = (n, w = 2) => String(n).padStart(w, "0");
var cachedSec = -1;
var cachedPrefix = "";
function rfc3339(timeNs) {
  const us = Number(timeNs / 1000n);
  const frac = us % 1e6;
  const sec = (us - frac) / 1e6;
  if (sec !== cachedSec) {
    const d = new Date(sec * 1e3);
    cachedPrefix = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.`;
    cachedSec = sec;
  }
  return `${cachedPrefix}${pad(frac, 6)}Z`;
}
function parseTime(s) {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s)) return NaN;
  return Date.parse(s);
}
function messageText(msg) {
  const s = dec.decode(msg);
  return /[\x00-\x08\x0a-\x1f\x7f]/.test(s) ? s.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) => "#" + c.charCodeAt(0).toString(8).padStart(3, "0")) : s;
}
function formatLine(r) {
  return `${rfc3339(r.timeNs)} ${r.host} ${r.tag}[${r.pid}]: ${messageText(r.msg)}
`;
}
var LINE_RE = /^(\S+) (\S+) (\S+)\[(\d+)\]: (.*)$/;
function parseLine(line) {
  const m = LINE_RE.exec(line);
  if (!m) return null;
  return { time: m[1], host: m[2], tag: m[3], pid: Number(m[4]), msg: m[5] };
}
function printUsAscii(s, max) {
  const t = s.replace(/[^\x21-\x7e]/g, "_").slice(0, max);
  return t === "" ? "-" : t;
}
function rfc5424(r, o = {}) {
  const facility = r.facility === 1 && o.facility !== void 0 ? o.facility : r.facility;
  const pri = facility * 8 + r.severity;
  const head = `<${pri}>1 ${rfc3339(r.timeNs)} ${printUsAscii(r.host, 255)} ${printUsAscii(r.tag, 48)} ${r.pid > 0 ? String(r.pid) : "-"} - - `;
  const h = Buffer.from(head, "latin1");
  const out = new Uint8Array(h.length + r.msg.length);
  out.set(h);
  out.set(r.msg, h.length);
  return out;
}
function octetFrame(msg) {
  const len = Buffer.from(`${msg.length} `, "latin1");
  const out = new Uint8Array(len.length + msg.length);
  out.set(len);
  out.set(msg, len.length);
  return out;
}

// sysloglib/logfile.ts
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
var PENDING_MAX = 8 << 20;
var RETRY_MS = 400;
function toBuffer(parts, bytes) {
  if (parts.length === 1 && typeof parts[0] !== "string") return parts[0];
  if (parts.every((p) => typeof p === "string")) return Buffer.from(parts.join(""));
  const out = Buffer.allocUnsafe(bytes);
  let off = 0;
  for (const p of parts) off += typeof p === "string" ? out.write(p, off) : p.copy(out, off);
  return out.subarray(0, off);
}
var LogFile = class {
  cfg;
  dir;
  path;
  fd = null;
  /** Bytes in the current file. */
  size = 0;
  /** When the current file got its first line (ms), or 0 if it is empty. */
  firstMs = 0;
  /** Lines (strings) or a Buffer left over from a failed write, in order. */
  pending = [];
  pendingBytes = 0;
  dropped = 0;
  failing = null;
  lastTry = 0;
  dirty = false;
  rotations = 0;
  report;
  now;
  host;
  constructor(dir, cfg2, o = {}) {
    this.dir = dir;
    this.cfg = cfg2;
    this.path = path.join(dir, `${cfg2.name}.log`);
    this.report = o.report ?? (() => {
    });
    this.now = o.now ?? Date.now;
    this.host = o.host ?? "localhost";
  }
  /** Lines waiting to be written (after an error). */
  get backlog() {
    return this.pendingBytes;
  }
  /** Adds a line (with its newline); rotates first if it would pass the size limit or the file is too old. */
  append(line) {
    const len = Buffer.byteLength(line);
    const r = this.cfg.rotate;
    if (this.fd === null) this.ensureOpen();
    const fill = this.size + this.pendingBytes;
    if (fill > 0 && this.fd !== null && this.failing === null) {
      const bySize = r.maxBytes > 0 && fill + len > r.maxBytes;
      const byAge = r.maxAgeMs > 0 && this.firstMs > 0 && this.now() - this.firstMs >= r.maxAgeMs;
      if (bySize || byAge) this.rotateNow();
    }
    if (this.firstMs === 0 && this.size + this.pendingBytes === 0) this.firstMs = this.now();
    this.pending.push(line);
    this.pendingBytes += len;
    while (this.pendingBytes > PENDING_MAX && this.pending.length > 1) {
      const old = this.pending.shift();
      this.pendingBytes -= typeof old === "string" ? Buffer.byteLength(old) : old.length;
      this.dropped++;
    }
  }
  /** Rotates by age if due (a timer calls it: a quiet file still rotates). */
  checkAge() {
    const r = this.cfg.rotate;
    if (r.maxAgeMs > 0 && this.firstMs > 0 && this.now() - this.firstMs >= r.maxAgeMs) {
      this.flush();
      if (this.fd !== null && this.failing === null && this.size > 0) this.rotateNow();
    }
  }
  /** Writes what is pending (one write); false if it could not (the lines stay pending). */
  flush() {
    if (this.pending.length === 0 && this.dropped === 0) return true;
    if (!this.ensureOpen()) return false;
    if (this.dropped > 0) {
      const note = Buffer.from(`${rfc3339(BigInt(this.now()) * 1000000n)} ${this.host} syslogd[${process.pid}]: ${this.dropped} lines for ${this.cfg.name}.log were dropped while it could not be written
`);
      this.pending.unshift(note);
      this.pendingBytes += note.length;
      this.dropped = 0;
    }
    const data = toBuffer(this.pending, this.pendingBytes);
    let off = 0;
    try {
      while (off < data.length) off += fs.writeSync(this.fd, data, off, data.length - off);
    } catch (e) {
      let keep = off;
      if (off > 0) {
        const nl = data.lastIndexOf(10, off - 1);
        try {
          fs.ftruncateSync(this.fd, this.size + nl + 1);
          keep = nl + 1;
        } catch {
        }
      }
      this.pending = [data.subarray(keep)];
      this.pendingBytes = data.length - keep;
      this.size += keep;
      this.fail(e, "write");
      return false;
    }
    this.size += data.length;
    this.pending = [];
    this.pendingBytes = 0;
    this.dirty = true;
    this.cleared();
    return true;
  }
  /** fsync if anything was written since the last one. */
  sync() {
    if (this.fd === null || !this.dirty) return;
    try {
      fs.fsyncSync(this.fd);
      this.dirty = false;
    } catch (e) {
      this.fail(e, "fsync");
    }
  }
  close() {
    this.flush();
    this.sync();
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
      }
      this.fd = null;
    }
  }
  /** Cleans up after a crash in the middle of a rotation (see the file's note). */
  recover() {
    let names;
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    const base = `${this.cfg.name}.log.`;
    for (const n of names) {
      if (!n.startsWith(base)) continue;
      const rest = n.slice(base.length);
      const full = path.join(this.dir, n);
      try {
        if (/^\d+\.gz\.tmp$/.test(rest)) fs.unlinkSync(full);
        else if (/^\d+$/.test(rest) && this.cfg.rotate.compress) {
          if (fs.existsSync(`${full}.gz`)) fs.unlinkSync(full);
          else this.compress(full);
        }
      } catch (e) {
        this.fail(e, `recover ${n}`);
      }
    }
  }
  ensureOpen() {
    if (this.fd !== null) return true;
    const t = this.now();
    if (this.failing !== null && t - this.lastTry < RETRY_MS) return false;
    this.lastTry = t;
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 493 });
      this.fd = fs.openSync(this.path, "a", 416);
      this.size = fs.fstatSync(this.fd).size;
      this.firstMs = this.size > 0 ? this.firstLineMs() : 0;
      return true;
    } catch (e) {
      this.fd = null;
      this.fail(e, "open");
      return false;
    }
  }
  /** The time of the file's first line, or its mtime. */
  firstLineMs() {
    try {
      const b = Buffer.alloc(512);
      const fd = fs.openSync(this.path, "r");
      let n;
      try {
        n = fs.readSync(fd, b, 0, b.length, 0);
      } finally {
        fs.closeSync(fd);
      }
      const line = b.subarray(0, n).toString().split("\n")[0];
      const p = parseLine(line);
      const ms = p ? parseTime(p.time) : NaN;
      if (!Number.isNaN(ms)) return ms;
      return fs.statSync(this.path).mtimeMs;
    } catch {
      return this.now();
    }
  }
  rotateNow() {
    if (!this.flush()) return;
    this.sync();
    if (this.dirty) return;
    const base = this.path;
    try {
      fs.closeSync(this.fd);
    } catch {
    }
    this.fd = null;
    try {
      const keep = this.cfg.rotate.keep;
      if (keep === 0) fs.unlinkSync(base);
      else {
        for (let i = keep; i >= 1; i--) {
          for (const sfx of [".gz", ""]) {
            const src = `${base}.${i}${sfx}`;
            if (!fs.existsSync(src)) continue;
            if (i === keep) fs.unlinkSync(src);
            else fs.renameSync(src, `${base}.${i + 1}${sfx}`);
          }
        }
        fs.renameSync(base, `${base}.1`);
      }
    } catch (e) {
      this.fail(e, "rotate");
      return;
    }
    this.rotations++;
    this.size = 0;
    this.firstMs = 0;
    this.ensureOpen();
    if (this.cfg.rotate.keep > 0 && this.cfg.rotate.compress) {
      try {
        this.compress(`${base}.1`);
      } catch (e) {
        this.fail(e, "compress");
      }
    }
  }
  /** FILE → FILE.gz (through FILE.gz.tmp, fsynced), then FILE is removed. */
  compress(file) {
    const gz = zlib.gzipSync(fs.readFileSync(file));
    const tmp = `${file}.gz.tmp`;
    const fd = fs.openSync(tmp, "w", 416);
    try {
      let off = 0;
      while (off < gz.length) off += fs.writeSync(fd, gz, off, gz.length - off);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, `${file}.gz`);
    fs.unlinkSync(file);
  }
  fail(e, what) {
    const code = e.code ?? String(e);
    const msg = `${what} ${this.path}: ${code}`;
    if (this.failing !== msg) this.report(`syslogd: cannot ${msg}; lines are kept (up to ${PENDING_MAX >> 20} MiB) and written when it works again`);
    this.failing = msg;
    if (what === "write" || what === "fsync") {
      try {
        if (this.fd !== null) fs.closeSync(this.fd);
      } catch {
      }
      this.fd = null;
    }
  }
  cleared() {
    if (this.failing !== null) this.report(`syslogd: ${this.path} is written again`);
    this.failing = null;
  }
};

// sysloglib/remote.ts
var QUEUE_MAX = 1e4;
var UDP_MAX = 65507;
var TCP_BATCH = 64 * 1024;
var Forwarder = class {
  cfg;
  transport;
  queue = [];
  busy = false;
  closed = false;
  backoffMs = 0;
  timer = null;
  dropped = 0;
  sent = 0;
  failing = false;
  report;
  idle = [];
  constructor(cfg2, transport, report2 = () => {
  }) {
    this.cfg = cfg2;
    this.transport = transport;
    this.report = report2;
  }
  push(r) {
    if (this.closed) return;
    let m = rfc5424(r, { facility: this.cfg.facility });
    if (this.cfg.protocol === "udp" && m.length > UDP_MAX) m = m.subarray(0, UDP_MAX);
    this.queue.push(this.cfg.protocol === "tcp" ? octetFrame(m) : m);
    if (this.queue.length > QUEUE_MAX) {
      this.queue.shift();
      this.dropped++;
    }
    this.kick();
  }
  /** Resolves when everything queued was sent (or the forwarder gave up for now). */
  drained() {
    if (this.queue.length === 0 && !this.busy) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }
  close() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.transport.close();
    for (const r of this.idle.splice(0)) r();
  }
  kick() {
    if (this.busy || this.timer || this.closed) return;
    this.busy = true;
    void this.pump().finally(() => {
      this.busy = false;
      if (this.queue.length > 0 && !this.timer && !this.closed) this.kick();
      else if (this.queue.length === 0) for (const r of this.idle.splice(0)) r();
    });
  }
  async pump() {
    while (this.queue.length > 0 && !this.closed) {
      let data;
      let n = 1;
      if (this.cfg.protocol === "tcp" && this.queue.length > 1) {
        let bytes = 0;
        n = 0;
        while (n < this.queue.length && (n === 0 || bytes + this.queue[n].length <= TCP_BATCH)) bytes += this.queue[n++].length;
        data = Buffer.concat(this.queue.slice(0, n), bytes);
      } else data = this.queue[0];
      try {
        await this.transport.send(data);
      } catch (e) {
        this.transport.reset();
        this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 500), 3e4);
        if (!this.failing) {
          this.report(`syslogd: cannot forward to ${this.cfg.protocol}://${this.cfg.host}:${this.cfg.port}: ${e.code ?? String(e)}; retrying (messages are kept, up to ${QUEUE_MAX})`);
        }
        this.failing = true;
        this.timer = setTimeout(() => {
          this.timer = null;
          this.kick();
        }, this.backoffMs);
        for (const r of this.idle.splice(0)) r();
        return;
      }
      this.queue.splice(0, n);
      this.sent += n;
      this.backoffMs = 0;
      if (this.failing) {
        this.failing = false;
        this.report(`syslogd: forwarding to ${this.cfg.host}:${this.cfg.port} works again` + (this.dropped > 0 ? `; ${this.dropped} messages were dropped meanwhile` : ""));
        this.dropped = 0;
      }
    }
  }
};

// sysloglib/transport.ts
import isk from "isokernel";
function kernelTransport(cfg2) {
  if (typeof isk.socket !== "function") return "this kernel has no sockets";
  const address = cfg2.host === "localhost" ? "127.0.0.1" : cfg2.host;
  if (!/^[\d.]+$/.test(address) && !address.includes(":")) return `${cfg2.host} is not an address (the kernel resolves no names)`;
  const domain = address.includes(":") ? "inet6" : "inet";
  const addr = { address, port: cfg2.port };
  let fd = -1;
  const open = async () => {
    if (fd >= 0) return fd;
    const f = isk.socket(domain, cfg2.protocol === "udp" ? "dgram" : "stream", { cloexec: true });
    try {
      await isk.promises.connect(f, addr);
    } catch (e) {
      isk.close(f);
      throw e;
    }
    fd = f;
    return f;
  };
  const reset = () => {
    if (fd >= 0) {
      try {
        isk.close(fd);
      } catch {
      }
    }
    fd = -1;
  };
  return {
    async send(data) {
      const f = await open();
      let off = 0;
      while (off < data.length) {
        const n = await isk.promises.send(f, off === 0 ? data : data.subarray(off), { nosignal: true });
        if (cfg2.protocol === "udp") return;
        off += n;
      }
    },
    reset,
    close: reset
  };
}

// syslogd.ts
function usage(msg) {
  process.stderr.write(`syslogd: ${msg}
usage: syslogd [--manifest PATH] [--dir DIR] [--sync-ms MS] [--age-check-ms MS]
`);
  process.exit(2);
}
function parseArgs(argv) {
  const o = { manifest: "/etc/isokernel/manifest.json", dir: "/var/log", syncMs: 1e3, ageCheckMs: 1e3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i] ?? usage(`${a} needs a value`);
    const num = () => {
      const v = Number(val());
      if (!Number.isFinite(v) || v < 0) usage(`${a}: expected a number of ms`);
      return v;
    };
    if (a === "--manifest") o.manifest = val();
    else if (a === "--dir") o.dir = val();
    else if (a === "--sync-ms") o.syncMs = num();
    else if (a === "--age-check-ms") o.ageCheckMs = num();
    else usage(`unknown argument '${a}'`);
  }
  return o;
}
var report = (msg) => {
  try {
    process.stderr.write(msg + "\n");
  } catch {
  }
};
function loadConfig(file) {
  let text;
  try {
    text = fs2.readFileSync(file, "utf8");
  } catch (e) {
    if (e.code !== "ENOENT") report(`syslogd: cannot read ${file}: ${e.message}; using the default`);
    return defaultConfig();
  }
  try {
    const m = JSON.parse(text);
    if (m.logs === void 0) return defaultConfig();
    const c = checkConfig(m.logs);
    return c.files.length === 0 && c.remote === null ? defaultConfig() : c;
  } catch (e) {
    report(`syslogd: ${file}: ${e.message}; using the default`);
    return defaultConfig();
  }
}
var opts = parseArgs(process.argv.slice(2));
var cfg = loadConfig(opts.manifest);
var host = isk2.uname().nodename;
var files = cfg.files.map((f) => new LogFile(opts.dir, f, { report, host }));
for (const f of files) f.recover();
var route = makeRouter(cfg.files);
var forwarder = null;
if (cfg.remote) {
  const t = kernelTransport(cfg.remote);
  if (typeof t === "string") report(`syslogd: remote forwarding to ${cfg.remote.host}:${cfg.remote.port} is off: ${t}`);
  else forwarder = new Forwarder(cfg.remote, t, report);
}
var reader;
try {
  reader = isk2.logReader({ cloexec: true, nonblock: true });
} catch (e) {
  const code = e.code;
  report(code === "EBUSY" ? "syslogd: another syslogd reads the kernel log" : code === "EPERM" ? "syslogd: must run as root (uid 0)" : `syslogd: cannot read the kernel log: ${e.message}`);
  process.exit(1);
}
var lastSync = performance.now();
var stopping = false;
function handle(recs) {
  let urgent = false;
  for (const r of recs) {
    const targets = route(r.tag, r.severity);
    if (targets.length > 0) {
      const line = formatLine(r);
      for (const i of targets) files[i].append(line);
    }
    forwarder?.push(r);
    if (r.severity <= 2) urgent = true;
  }
  for (const f of files) f.flush();
  const now = performance.now();
  if (urgent || now - lastSync >= opts.syncMs) {
    for (const f of files) f.sync();
    lastSync = now;
  }
}
function drain() {
  for (let i = 0; i < 256 && isk2.poll([{ fd: reader, events: "read" }], 0).length > 0; i++) {
    try {
      handle(isk2.readLog(reader));
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
    }
  }
}
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    drain();
  } catch (e) {
    report(`syslogd: reading the last records: ${e.message}`);
  }
  for (const f of files) f.close();
  if (forwarder) {
    await Promise.race([forwarder.drained(), new Promise((r) => setTimeout(r, 2e3))]);
    forwarder.close();
  }
  for (const f of files) f.close();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
process.on("SIGHUP", () => {
  for (const f of files) f.close();
});
var timer = setInterval(() => {
  for (const f of files) {
    f.checkAge();
    f.flush();
  }
  if (performance.now() - lastSync >= opts.syncMs) {
    for (const f of files) f.sync();
    lastSync = performance.now();
  }
}, Math.max(50, Math.min(opts.ageCheckMs, opts.syncMs)));
timer.unref?.();
for (; ; ) {
  try {
    await isk2.promises.poll([{ fd: reader, events: "read" }]);
    if (stopping) break;
    handle(isk2.readLog(reader));
  } catch (e) {
    if (e.code === "EAGAIN") continue;
    report(`syslogd: reading the kernel log: ${e.message}`);
    await new Promise((r) => setTimeout(r, 1e3));
  }
}
