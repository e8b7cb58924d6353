import { BlockList, isIP } from 'node:net';

/** Addresses allowed or denied under one path prefix. */
export interface IpRule {
  readonly prefix: string;
  readonly mode: 'allow' | 'deny';
  readonly list: BlockList;
}

/**
 * Parses `prefix=address|cidr,…;prefix=…` (e.g. `/api/migration=10.0.0.0/8,127.0.0.1`) into rules.
 * Throws on anything it cannot read, so a typo fails at boot rather than opening a route.
 */
export function parseIpRules(text: string | undefined, mode: IpRule['mode']): IpRule[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(';').map((group) => {
    const [prefix, addresses] = group.split('=');
    if (prefix?.startsWith('/') !== true || addresses === undefined || addresses.trim() === '')
      throw new Error(`"${group}" is not "<path prefix>=<address or cidr>,…"`);
    const list = new BlockList();
    for (const entry of addresses.split(',').map((a) => a.trim())) {
      const [address = '', bits] = entry.split('/');
      const family = isIP(address);
      if (family === 0) throw new Error(`"${entry}" is not an IP address or CIDR range`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(bits), type);
    }
    return { prefix: prefix.trim(), mode, list };
  });
}

function matches(list: BlockList, ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  // IPv4 clients on a dual-stack socket arrive as ::ffff:a.b.c.d.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip)?.[1];
  if (mapped !== undefined) return list.check(mapped, 'ipv4');
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether `ip` may reach `path`: every deny rule whose prefix covers the path must not match, and
 * when allow rules cover it, at least one of them must match.
 */
export function ipAllowed(rules: readonly IpRule[], path: string, ip: string): boolean {
  const covering = rules.filter(
    (rule) => path === rule.prefix || path.startsWith(`${rule.prefix.replace(/\/$/, '')}/`),
  );
  if (covering.some((rule) => rule.mode === 'deny' && matches(rule.list, ip))) return false;
  const allows = covering.filter((rule) => rule.mode === 'allow');
  return allows.length === 0 || allows.some((rule) => matches(rule.list, ip));
}
