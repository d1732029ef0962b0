import { run } from '../host/shell.ts';

/**
 * A platform endpoint's link-local address (169.254.169.254 for EC2's
 * instance metadata, 169.254.170.2 for the ECS agent), put on the device
 * that holds the host's address on the pods' network: pods reach it through
 * their default route, one hop away, as on the platform.
 */
export class BridgeAddress {
  private constructor(
    private readonly address: string,
    private readonly device: string,
  ) {}

  /** Adds `address`/32 to the device holding `hostAddress`. */
  static async add(hostAddress: string, address: string): Promise<BridgeAddress> {
    const line = await run('ip', ['-o', '-4', 'addr', 'show', 'to', hostAddress]);
    const device = line.split(/\s+/)[1];
    if (!device) throw new Error(`no device holds ${hostAddress}`);
    await run('ip', ['addr', 'add', `${address}/32`, 'dev', device]);
    return new BridgeAddress(address, device);
  }

  /** Takes the address off again; a failure (the network already gone) is ignored. */
  async remove(): Promise<void> {
    await run('ip', ['addr', 'del', `${this.address}/32`, 'dev', this.device]).catch(() => undefined);
  }
}
