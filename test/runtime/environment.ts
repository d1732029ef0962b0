import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMoto } from '../support/moto.ts';
import { PodNetwork } from './host/network.ts';
import { run } from './host/shell.ts';
import { AWS_CLI_BIN, COMPOSE_CONFIG, installedAirflow, RUNTIME_HOME } from './translation.ts';

/**
 * Why the runtime harness cannot run on this machine, or undefined when it
 * can: it needs root (network namespaces, mounts), the kernel's overlayfs,
 * the installed Airflow releases and tools (test/runtime/install.sh, .ci/run),
 * Debian's PostgreSQL and Redis servers, and moto_server.
 */
export function runtimeUnavailable(): string | undefined {
  if (process.env.AFC_RUNTIME_SKIP === '1') return 'AFC_RUNTIME_SKIP=1 asks to leave the runtime scenarios out';
  if (process.platform !== 'linux') return 'the runtime harness needs Linux';
  if (process.getuid?.() !== 0) return 'the runtime harness needs root (network namespaces and mounts)';
  const commands: [string, string[]][] = [
    ['ip', ['-V']],
    ['unshare', ['--version']],
    ['nsenter', ['--version']],
    ['setpriv', ['--version']],
    ['redis-server', ['--version']],
    ['moto_server', ['--help']],
    ['openssl', ['version']],
    ['curl', ['--version']],
  ];
  const missing = commands.filter(([command, args]) => spawnSync(command, args, { stdio: 'ignore' }).status !== 0).map(([c]) => c);
  if (!existsSync('/usr/lib/postgresql')) missing.push('postgresql (Debian)');
  if (installedAirflow().length === 0) missing.push(`Airflow under ${RUNTIME_HOME} (test/runtime/install.sh)`);
  if (!existsSync(COMPOSE_CONFIG)) missing.push(`${COMPOSE_CONFIG} (test/runtime/install.sh)`);
  if (!existsSync(join(AWS_CLI_BIN, 'aws'))) missing.push(`the AWS CLI under ${AWS_CLI_BIN} (test/runtime/install.sh)`);
  return missing.length ? `the runtime harness needs ${missing.join(', ')}` : undefined;
}

/**
 * One run's host side: a folder (its containers' layers on a tmpfs, since an
 * overlay's upper layer may not lie on the file system it covers), the pod
 * network, and moto on the bridge, where pods and the harness both reach it.
 */
export class RuntimeHost {
  private constructor(
    readonly dir: string,
    readonly network: PodNetwork,
    readonly awsEndpoint: string,
    private readonly stopMoto: () => Promise<void>,
  ) {}

  static async start(): Promise<RuntimeHost> {
    const dir = mkdtempSync(join(tmpdir(), 'afc-runtime-'));
    mkdirSync(join(dir, 'containers'));
    await run('mount', ['-t', 'tmpfs', '-o', 'mode=755', 'afc-runtime', join(dir, 'containers')]);
    try {
      const network = await PodNetwork.create(join(dir, 'hosts'));
      const moto = await startMoto(network.hostAddress).catch(async (error: Error) => {
        await network.destroy();
        throw error;
      });
      return new RuntimeHost(dir, network, moto.endpoint, moto.stop);
    } catch (error) {
      await run('umount', ['-l', join(dir, 'containers')]).catch(() => undefined);
      throw error;
    }
  }

  /** Tears everything down; AFC_RUNTIME_KEEP=1 keeps the folder (logs, volumes) for a post-mortem. */
  async stop(): Promise<void> {
    await this.stopMoto().catch(() => undefined);
    await this.network.destroy();
    await run('umount', ['-l', join(this.dir, 'containers')]).catch(() => undefined);
    if (process.env.AFC_RUNTIME_KEEP !== '1') rmSync(this.dir, { recursive: true, force: true });
  }
}
