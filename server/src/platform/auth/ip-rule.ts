import ipaddr from 'ipaddr.js';

/** True when the rule is a valid single address or CIDR range. */
export function isValidIpRule(rule: string): boolean {
  return rule.includes('/') ? ipaddr.isValidCIDR(rule) : ipaddr.isValid(rule);
}

/** Whether `ip` is allowed by a branch's rule (a single address or a CIDR range); IPv4-mapped IPv6 counts as IPv4. */
export function ipMatchesRule(ip: string, rule: string): boolean {
  try {
    const addr = normalize(ipaddr.parse(ip));
    if (!rule.includes('/')) return addr.toString() === normalize(ipaddr.parse(rule)).toString();
    const [range, bits] = ipaddr.parseCIDR(rule);
    const net = normalize(range);
    return (
      addr.kind() === net.kind() &&
      addr.match(net, net.kind() === 'ipv4' && range.kind() === 'ipv6' ? bits - 96 : bits)
    );
  } catch {
    return false;
  }
}

function normalize(a: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()
    ? (a as ipaddr.IPv6).toIPv4Address()
    : a;
}
