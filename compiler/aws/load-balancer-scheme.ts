/**
 * The address ranges that never reach an internet-facing load balancer as a
 * client's source address: RFC 1918 and the carrier-grade NAT range, which
 * VPNs and transit gateways use.
 */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map(parseCidr);

/**
 * An internet-facing load balancer sees public source addresses, so a rule
 * that admits only private ranges would let no one in: such a balancer must
 * be internal. It is internet-facing only when some allowed range lies (even
 * partly) outside the private ranges.
 */
export function loadBalancerScheme(allowedCidrs: readonly string[]): 'internal' | 'internet-facing' {
  const inside = (cidr: string) => {
    const block = parseCidr(cidr);
    return PRIVATE_RANGES.some((range) => block.bits >= range.bits && network(block.address, range.bits) === range.address);
  };
  return allowedCidrs.every(inside) ? 'internal' : 'internet-facing';
}

interface Block {
  /** The network address, as an unsigned 32-bit number. */
  address: number;
  bits: number;
}

function parseCidr(cidr: string): Block {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const bits = Number(match?.[5]);
  if (!match || octets.some((o) => o > 255) || bits > 32) throw new Error(`not an IPv4 CIDR block: ${cidr}`);
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  return { address: network(address, bits), bits };
}

/** The first `bits` bits of an address, the rest zero. */
function network(address: number, bits: number): number {
  const size = 2 ** (32 - bits);
  return address - (address % size);
}
