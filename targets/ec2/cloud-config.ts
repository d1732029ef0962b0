import type { KeyOrder } from '../../compiler/emit/key-order.ts';

/** A file cloud-init writes on the host. */
export interface HostFile {
  path: string;
  permissions: '0644' | '0755';
  content: string;
}

/** The packages the host needs: Docker and its compose plugin from Ubuntu, jq for the scripts. */
const PACKAGES = ['docker.io', 'docker-compose-v2', 'jq'];

/**
 * The `#cloud-config` user data: packages, the files of the bundle and of the
 * host's units, and the commands of the first boot. Later boots need none of
 * it: systemd starts Airflow, and the fstab line mounts the data volume.
 */
export function cloudConfig(files: readonly HostFile[], firstBoot: readonly string[][]): Record<string, unknown> {
  return {
    package_update: true,
    packages: PACKAGES,
    write_files: [...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => ({ path: f.path, permissions: f.permissions, content: f.content })),
    runcmd: firstBoot,
  };
}

export const cloudConfigKeyOrder: KeyOrder = (path) => {
  if (path.length === 0) return ['package_update', 'packages', 'write_files', 'runcmd'];
  if (path.at(-1) === 'write_files') return ['path', 'permissions', 'content'];
  return undefined;
};
