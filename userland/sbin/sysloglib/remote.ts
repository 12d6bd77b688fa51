// Forwarding to a remote syslog (docs/logging.md, "Remote forwarding"): RFC 5424 messages,
// one per datagram over UDP (RFC 5426), or octet-counted over TCP (RFC 6587), through a
// Transport (the kernel's sockets in syslogd; anything in tests).
//
// Messages wait in a bounded queue (QUEUE_MAX); while the remote cannot be reached the
// oldest are dropped and counted, and when it can again a notice says how many. TCP
// reconnects with a backoff from 500 ms doubling to 30 s. Forwarding never holds up the
// local files: it runs on its own, off the event loop's promises.
import { type LogRec, octetFrame, rfc5424 } from './format.ts';
import type { RemoteConfig } from './config.ts';

export const QUEUE_MAX = 10_000;
/** The largest UDP payload (IPv4's); a longer message is cut there. */
export const UDP_MAX = 65_507;
const TCP_BATCH = 64 * 1024;

export interface Transport {
  /** Sends one datagram (udp) or stream bytes (tcp); rejects when the connection failed. */
  send(data: Uint8Array): Promise<void>;
  /** Drops the connection (tcp: the next send reconnects). */
  reset(): void;
  close(): void;
}

export class Forwarder {
  readonly cfg: RemoteConfig;
  private readonly transport: Transport;
  private readonly queue: Uint8Array[] = [];
  private busy = false;
  private closed = false;
  private backoffMs = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  dropped = 0;
  sent = 0;
  private failing = false;
  private readonly report: (msg: string) => void;
  private idle: (() => void)[] = [];

  constructor(cfg: RemoteConfig, transport: Transport, report: (msg: string) => void = () => {}) {
    this.cfg = cfg;
    this.transport = transport;
    this.report = report;
  }

  push(r: LogRec): void {
    if (this.closed) return;
    let m = rfc5424(r, { facility: this.cfg.facility });
    if (this.cfg.protocol === 'udp' && m.length > UDP_MAX) m = m.subarray(0, UDP_MAX);
    this.queue.push(this.cfg.protocol === 'tcp' ? octetFrame(m) : m);
    if (this.queue.length > QUEUE_MAX) {
      this.queue.shift();
      this.dropped++;
    }
    this.kick();
  }

  /** Resolves when everything queued was sent (or the forwarder gave up for now). */
  drained(): Promise<void> {
    if (this.queue.length === 0 && !this.busy) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.transport.close();
    for (const r of this.idle.splice(0)) r();
  }

  private kick(): void {
    if (this.busy || this.timer || this.closed) return;
    this.busy = true;
    void this.pump().finally(() => {
      this.busy = false;
      if (this.queue.length > 0 && !this.timer && !this.closed) this.kick();
      else if (this.queue.length === 0) for (const r of this.idle.splice(0)) r();
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      let data: Uint8Array;
      let n = 1;
      if (this.cfg.protocol === 'tcp' && this.queue.length > 1) {
        let bytes = 0;
        n = 0;
        while (n < this.queue.length && (n === 0 || bytes + this.queue[n]!.length <= TCP_BATCH)) bytes += this.queue[n++]!.length;
        data = Buffer.concat(this.queue.slice(0, n), bytes);
      } else data = this.queue[0]!;
      try {
        await this.transport.send(data);
      } catch (e) {
        this.transport.reset();
        this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 500), 30_000);
        if (!this.failing) {
          this.report(`syslogd: cannot forward to ${this.cfg.protocol}://${this.cfg.host}:${this.cfg.port}: ` +
            `${(e as NodeJS.ErrnoException).code ?? String(e)}; retrying (messages are kept, up to ${QUEUE_MAX})`);
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
        this.report(`syslogd: forwarding to ${this.cfg.host}:${this.cfg.port} works again` +
          (this.dropped > 0 ? `; ${this.dropped} messages were dropped meanwhile` : ''));
        this.dropped = 0;
      }
    }
  }
}
