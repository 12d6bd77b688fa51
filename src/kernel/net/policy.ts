// Egress policy: which outbound destinations a guest may reach (docs/architecture.md,
// "Sockets"; the manifest's network.egress). A rule is HOST:PORT where
//   HOST  *  |  localhost  |  an IPv4 address  |  [an IPv6 address]  |  an IPv4 CIDR (10.0.0.0/8)
//         |  [an IPv6 CIDR] ([fd00::/8])
//   PORT  *  |  a number  |  a range LOW-HIGH
// HOST may also be a DNS name: the kernel resolves it once, when it boots (`ready`), to every
// address the host's resolver gives, and the rule matches those (guests resolve no names
// themselves: they connect to addresses). A name that does not resolve matches nothing.
// "*" alone (or "*:*") allows everything.
import { lookup } from 'node:dns/promises';
import { BlockList } from 'node:net';
import { KernelError } from '../errors.ts';
import { type InetAddr, parseIpv4, parseIpv6 } from './addr.ts';

interface Rule {
  text: string;
  /** null: any host. */
  hosts: BlockList | null;
  lo: number;
  hi: number;
  /** A DNS name still to resolve into `hosts`. */
  name?: string;
}

export class EgressPolicy {
  private readonly rules: Rule[];
  readonly allowAll: boolean;

  /** 'any' allows everything; a list allows what its rules match (an empty list: nothing). */
  /** Settles once the rules' names are resolved (at once when there are none). */
  readonly ready: Promise<void>;
  /** Names that did not resolve. */
  readonly unresolved: string[] = [];

  constructor(spec: 'any' | readonly string[]) {
    this.rules = spec === 'any' ? [] : spec.map(parseRule);
    this.allowAll = spec === 'any' || this.rules.some((r) => r.hosts === null && r.name === undefined && r.lo === 0 && r.hi === 65535);
    const names = this.rules.filter((r) => r.name !== undefined);
    this.ready = names.length === 0 ? Promise.resolve() : Promise.all(names.map(async (r) => {
      try {
        for (const a of await lookup(r.name!, { all: true })) r.hosts!.addAddress(a.address, a.family === 6 ? 'ipv6' : 'ipv4');
      } catch {
        this.unresolved.push(r.name!);
      }
    })).then(() => {});
  }

  allows(a: InetAddr): boolean {
    if (this.allowAll) return true;
    let v4: string | null = null;
    if (a.family === 'inet6' && a.address.startsWith('::ffff:') && parseIpv4(a.address.slice(7))) v4 = a.address.slice(7);
    for (const r of this.rules) {
      if (a.port < r.lo || a.port > r.hi) continue;
      if (r.hosts === null) return true;
      if (a.family === 'inet' ? r.hosts.check(a.address, 'ipv4') : r.hosts.check(a.address, 'ipv6') || (v4 !== null && r.hosts.check(v4, 'ipv4'))) {
        return true;
      }
    }
    return false;
  }

  toString(): string {
    return this.allowAll ? '*' : this.rules.map((r) => r.text).join(', ') || '(none)';
  }
}

function bad(rule: string, why: string): KernelError {
  return new KernelError('EEGRESS', `egress rule "${rule}": ${why} (expected HOST:PORT — HOST *, localhost, an address, ` +
    'a CIDR, IPv6 in brackets, a DNS name; PORT *, a number or LOW-HIGH)');
}

function parseRule(text: string): Rule {
  const rule = text.trim();
  if (rule === '*' || rule === '*:*') return { text: rule, hosts: null, lo: 0, hi: 65535 };
  let host: string;
  let port: string;
  if (rule.startsWith('[')) {
    const end = rule.indexOf(']');
    if (end < 0 || rule[end + 1] !== ':') throw bad(rule, 'an IPv6 host needs brackets and a port');
    host = rule.slice(1, end);
    port = rule.slice(end + 2);
  } else {
    const i = rule.lastIndexOf(':');
    if (i <= 0) throw bad(rule, 'no port');
    host = rule.slice(0, i);
    port = rule.slice(i + 1);
    if (host.includes(':')) throw bad(rule, 'write an IPv6 host in brackets');
  }
  let lo: number, hi: number;
  if (port === '*') [lo, hi] = [0, 65535];
  else {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(port);
    if (!m) throw bad(rule, `bad port "${port}"`);
    lo = Number(m[1]);
    hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi > 65535 || lo > hi) throw bad(rule, `bad port "${port}"`);
  }
  if (host === '*') return { text: rule, hosts: null, lo, hi };
  const hosts = new BlockList();
  if (host === 'localhost') {
    hosts.addSubnet('127.0.0.0', 8, 'ipv4');
    hosts.addAddress('::1', 'ipv6');
    return { text: rule, hosts, lo, hi };
  }
  const slash = host.indexOf('/');
  const addr = slash < 0 ? host : host.slice(0, slash);
  const v4 = parseIpv4(addr) !== null;
  if (!v4 && parseIpv6(addr) === null) {
    if (slash < 0 && /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(host)) {
      return { text: rule, hosts, lo, hi, name: host }; // resolved at boot
    }
    throw bad(rule, `"${host}" is not an address, a CIDR, localhost or a DNS name`);
  }
  if (slash < 0) hosts.addAddress(addr, v4 ? 'ipv4' : 'ipv6');
  else {
    const bits = Number(host.slice(slash + 1));
    if (!/^\d{1,3}$/.test(host.slice(slash + 1)) || bits > (v4 ? 32 : 128)) throw bad(rule, `bad prefix length in "${host}"`);
    hosts.addSubnet(addr, bits, v4 ? 'ipv4' : 'ipv6');
  }
  return { text: rule, hosts, lo, hi };
}
