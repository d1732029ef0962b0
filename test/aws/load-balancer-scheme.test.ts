import { describe, expect, it } from 'vitest';
import { loadBalancerScheme } from '../../compiler/aws/load-balancer-scheme.ts';

describe('loadBalancerScheme', () => {
  it('is internal when no range is allowed: only the VPC reaches the UI', () => {
    expect(loadBalancerScheme([])).toBe('internal');
  });

  it.each([['10.0.0.0/8'], ['10.20.0.0/16'], ['172.16.0.0/12'], ['172.31.255.0/24'], ['192.168.1.0/24'], ['100.64.0.0/10'], ['100.127.0.1/32']])(
    '%s lies inside a private range: internal',
    (cidr) => {
      expect(loadBalancerScheme([cidr])).toBe('internal');
    },
  );

  it.each([
    ['0.0.0.0/0'],
    ['172.15.0.0/16'],
    ['172.32.0.0/16'],
    ['192.169.0.0/16'],
    ['100.128.0.0/16'],
    ['203.0.113.0/24'],
    // Wider than the private range it starts in.
    ['10.0.0.0/7'],
    ['172.16.0.0/11'],
  ])('%s reaches outside the private ranges: internet-facing', (cidr) => {
    expect(loadBalancerScheme([cidr])).toBe('internet-facing');
  });

  it('looks at every range of a list', () => {
    expect(loadBalancerScheme(['10.0.0.0/8', '192.168.1.0/24', '100.64.0.0/10'])).toBe('internal');
    expect(loadBalancerScheme(['10.0.0.0/8', '198.51.100.7/32'])).toBe('internet-facing');
    expect(loadBalancerScheme(['203.0.113.0/24', '10.0.0.0/8'])).toBe('internet-facing');
  });

  it('reads host bits as the network they belong to', () => {
    expect(loadBalancerScheme(['10.1.2.3/8'])).toBe('internal');
  });

  it('rejects what is not an IPv4 CIDR block (the schema lets none through)', () => {
    expect(() => loadBalancerScheme(['10.0.0.0'])).toThrow('not an IPv4 CIDR block');
    expect(() => loadBalancerScheme(['300.0.0.0/8'])).toThrow('not an IPv4 CIDR block');
  });
});
