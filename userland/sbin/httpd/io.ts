// What httpd needs of the world, as small interfaces: listening sockets and connections
// (Transport), and CGI processes (Spawner). The server is written against these, so the
// same code runs on the host (tests in plain Node: node:net, node:child_process) and inside
// isokernel (the kernel's sockets and processes).
//
// Connections are pull-based: `read()` gives the next bytes, an empty array at end of
// stream; `destroy()` makes a pending read settle (with an empty array) — the server's
// timeouts are timers that destroy the connection.
import type { ListenAddr } from './config.ts';

export interface Conn {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** The next bytes received; empty at end of stream (or after destroy). Rejects on a reset. */
  read(): Promise<Uint8Array>;
  /** Resolves when the bytes are handed to the transport (not necessarily sent). */
  write(data: Uint8Array): Promise<void>;
  /** Sends FIN after what was written. */
  end(): void;
  /** Closes at once; a pending read settles with an empty array. */
  destroy(): void;
}

export interface Listener {
  /** The next connection; rejects once the listener is closed. */
  accept(): Promise<Conn>;
  close(): void;
  /** The bound address, for messages ("127.0.0.1:8080", "unix:/run/x.sock"). */
  readonly name: string;
  /** The bound port (0 for unix sockets). */
  readonly port: number;
}

export interface Transport {
  listen(addr: ListenAddr, backlog: number): Promise<Listener>;
  connect(addr: ListenAddr): Promise<Conn>;
}

export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

export interface CgiProcess {
  readonly pid: number;
  /** Writes the request body and closes the script's stdin (errors ignored: the script may not read it). */
  feed(body: Uint8Array | null): Promise<void>;
  /** The next bytes of the script's stdout; empty at end. */
  read(): Promise<Uint8Array>;
  readonly exited: Promise<ExitStatus>;
  /** SIGKILL to the script's process group (it leads its own). */
  killGroup(): void;
  /** Closes our end of the script's stdout (idempotent); read() then gives end of stream. */
  release(): void;
}

export interface SpawnRequest {
  file: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** A descriptor for the script's stderr (the log), or null: httpd's own stderr. */
  stderrFd: number | null;
  /** A body will be fed (stdin is a pipe); else stdin is /dev/null. */
  stdin: boolean;
}

export interface Spawner {
  spawn(r: SpawnRequest): Promise<CgiProcess>;
}

/**
 * A pull-based reader over push events: chunks queue up, read() takes one or waits. The
 * source is paused above `highWater` queued bytes.
 */
export class PullQueue {
  private chunks: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private error: Error | null = null;
  private waiter: ((v: Uint8Array) => void) | null = null;
  private failer: ((e: Error) => void) | null = null;
  private readonly pause: () => void;
  private readonly resume: () => void;
  private readonly highWater: number;
  private paused = false;

  constructor(pause: () => void, resume: () => void, highWater = 1 << 20) {
    this.pause = pause;
    this.resume = resume;
    this.highWater = highWater;
  }

  push(c: Uint8Array): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = this.failer = null;
      w(c);
      return;
    }
    this.chunks.push(c);
    this.queued += c.length;
    if (this.queued > this.highWater && !this.paused) {
      this.paused = true;
      this.pause();
    }
  }

  end(): void {
    this.ended = true;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = this.failer = null;
      w(new Uint8Array(0));
    }
  }

  fail(e: Error): void {
    if (this.ended) return;
    this.error = e;
    this.ended = true;
    if (this.failer) {
      const f = this.failer;
      this.waiter = this.failer = null;
      f(e);
    }
  }

  read(): Promise<Uint8Array> {
    const c = this.chunks.shift();
    if (c) {
      this.queued -= c.length;
      if (this.paused && this.queued <= this.highWater / 2) {
        this.paused = false;
        this.resume();
      }
      return Promise.resolve(c);
    }
    if (this.error) return Promise.reject(this.error);
    if (this.ended) return Promise.resolve(new Uint8Array(0));
    return new Promise((res, rej) => {
      this.waiter = res;
      this.failer = rej;
    });
  }
}
