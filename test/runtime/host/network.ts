import { closeSync, existsSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { run } from './shell.ts';

/** A network namespace on the harness's bridge: what a compose container, a pod or an ECS task gets. */
export interface NetworkSlot {
  /** `ip netns` name. */
  namespace: string;
  address: string;
  /** The names that resolve to `address` everywhere on the network (service names, aliases). */
  names: readonly string[];
  /** Names that resolve to `address` inside this namespace only (a Kubernetes pod's host name, which the kubelet writes into the pod's /etc/hosts and cluster DNS does not know). */
  localNames?: readonly string[];
  /** The hosts file of this namespace's containers when it has local names: the network's, with them. */
  hostsFile?: string;
}

const PREFIX = 'afc';

/**
 * The harness's container network: one Linux bridge per run and one network
 * namespace per pod on it, each with its own address and loopback. Every
 * container bind-mounts one hosts file, rewritten in place as pods come, so
 * that names resolve as Docker's embedded DNS, cluster DNS or Cloud Map make
 * them resolve on the platform. Needs root (CAP_NET_ADMIN).
 */
export class PodNetwork {
  private readonly slots: NetworkSlot[] = [];
  private next = 2;

  private constructor(
    /** 0–255: the third octet of 10.213.<subnet>.0/24, and the bridge's name. */
    private readonly subnet: number,
    /** The hosts file every container mounts at /etc/hosts. */
    readonly hostsFile: string,
  ) {}

  /** The bridge's address: where the host (and what runs there, such as moto) is reached from pods. */
  get hostAddress(): string {
    return `10.213.${this.subnet}.1`;
  }

  private get bridge(): string {
    return `${PREFIX}br${this.subnet}`;
  }

  static async create(hostsFile: string): Promise<PodNetwork> {
    const links = await run('ip', ['-o', 'link', 'show']);
    // A free subnet: runs in parallel (or one that crashed without cleaning up) keep theirs.
    for (let subnet = 0; subnet < 256; subnet++) {
      if (links.includes(`${PREFIX}br${subnet}:`)) continue;
      const network = new PodNetwork(subnet, hostsFile);
      try {
        await run('ip', ['link', 'add', network.bridge, 'type', 'bridge']);
      } catch {
        continue; // taken between the listing and now
      }
      await run('ip', ['addr', 'add', `${network.hostAddress}/24`, 'dev', network.bridge]);
      await run('ip', ['link', 'set', network.bridge, 'up']);
      network.writeHosts();
      return network;
    }
    throw new Error('no free 10.213.x.0/24 subnet for the harness network');
  }

  /** A new namespace with its address, reachable from the host and from every other pod by `names` (which may depend on the address). */
  async add(names: readonly string[] | ((address: string) => readonly string[]), localNames: readonly string[] = []): Promise<NetworkSlot> {
    const index = this.next++;
    if (index > 254) throw new Error('the harness network is full (253 pods)');
    const namespace = `${PREFIX}${this.subnet}-${index}`;
    const hostSide = `${PREFIX}${this.subnet}v${index}`;
    const address = `10.213.${this.subnet}.${index}`;
    await run('ip', ['netns', 'add', namespace]);
    try {
      await run('ip', ['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace]);
      await run('ip', ['link', 'set', hostSide, 'master', this.bridge, 'up']);
      const inside = (...args: string[]) => run('ip', ['netns', 'exec', namespace, 'ip', ...args]);
      await inside('link', 'set', 'lo', 'up');
      await inside('addr', 'add', `${address}/24`, 'dev', 'eth0');
      await inside('link', 'set', 'eth0', 'up');
      await inside('route', 'add', 'default', 'via', this.hostAddress);
    } catch (error) {
      // Deleting the namespace deletes its end of the veth, and with it the host's end.
      await run('ip', ['netns', 'delete', namespace]).catch(() => undefined);
      throw error;
    }
    const slot: NetworkSlot = {
      namespace,
      address,
      names: typeof names === 'function' ? names(address) : names,
      ...(localNames.length ? { localNames, hostsFile: `${this.hostsFile}.${index}` } : {}),
    };
    this.slots.push(slot);
    this.writeHosts();
    return slot;
  }

  /** Adds names for an address that already exists (a Service in front of a pod, a load balancer). */
  alias(address: string, names: readonly string[]): void {
    this.slots.push({ namespace: '', address, names });
    this.writeHosts();
  }

  /** Rewritten in place (same inode), so that containers that mounted it see new pods. */
  private writeHosts(): void {
    const local = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
    const lines = this.slots.filter((s) => s.names.length).map((s) => `${s.address}\t${s.names.join(' ')}`);
    rewriteInPlace(this.hostsFile, `${[...local, ...lines].join('\n')}\n`);
    // A namespace's own names before the network's, as the first name of an address is its canonical one.
    for (const slot of this.slots)
      if (slot.hostsFile) rewriteInPlace(slot.hostsFile, `${[...local, `${slot.address}\t${slot.localNames!.join(' ')}`, ...lines].join('\n')}\n`);
  }

  /** Removes every namespace and the bridge; processes must have ended. */
  async destroy(): Promise<void> {
    for (const slot of this.slots) {
      if (slot.namespace) await run('ip', ['netns', 'delete', slot.namespace]).catch(() => undefined);
    }
    await run('ip', ['link', 'delete', this.bridge]).catch(() => undefined);
  }
}

/**
 * Writes over the file from its start and then cuts it to length: the same
 * inode (containers bind-mount it), and, as the list only grows, no moment
 * when a resolver reading it finds it empty (truncating first would make one).
 */
function rewriteInPlace(path: string, content: string): void {
  const fd = openSync(path, existsSync(path) ? 'r+' : 'w');
  try {
    const bytes = Buffer.from(content);
    writeSync(fd, bytes, 0, bytes.length, 0);
    ftruncateSync(fd, bytes.length);
  } finally {
    closeSync(fd);
  }
}
