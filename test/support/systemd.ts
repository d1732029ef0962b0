import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { WrittenFile } from './cloud-init.ts';

/** The systemd of this machine, by its major version (`systemd 252 (252.38-1~deb12u1)` → 252). */
export function systemdVersion(): number | undefined {
  const result = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  const match = /^systemd (\d+)/.exec(result.stdout ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * `systemd-analyze verify` of units as a host would load them: the files
 * cloud-init writes land in a root folder beside this machine's own system
 * units (sysinit.target and the rest). docker.service and /usr/bin/docker are
 * stand-ins for Ubuntu's docker.io package, which the units and their
 * drop-ins name, and which this machine need not have. verify checks the
 * dependencies, the settings and that every Exec path is an executable in
 * that root.
 */
export function verifyUnits(files: readonly WrittenFile[], units: readonly string[]): { status: number | null; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'afc-systemd-'));
  const write = (path: string, content: string, mode: number) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    chmodSync(join(root, path), mode);
  };
  for (const f of files) write(f.path, f.content, Number.parseInt(f.permissions, 8));
  for (const dir of ['/usr/lib/systemd/system', '/lib/systemd/system']) {
    if (existsSync(dir)) {
      cpSync(dir, join(root, 'usr/lib/systemd/system'), { recursive: true, dereference: false, verbatimSymlinks: true });
      break;
    }
  }
  write('/usr/bin/docker', '#!/bin/sh\n', 0o755);
  write('/usr/bin/dockerd', '#!/bin/sh\n', 0o755);
  write('/etc/systemd/system/docker.service', '[Unit]\nDescription=Docker (stand-in)\n\n[Service]\nExecStart=/usr/bin/dockerd\n', 0o644);
  const result = spawnSync('systemd-analyze', ['verify', '--man=no', `--root=${root}`, ...units], {
    encoding: 'utf8',
    env: { ...process.env, SYSTEMD_LOG_LEVEL: 'notice' },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.replaceAll(root, '') };
}
