import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotTree } from '../support/build.ts';
import { AFC_BIN, copyExample } from '../support/cli.ts';
import { haveTool } from '../support/tools.ts';

/** nobody: a user that owns nothing of the repository. */
const OTHER_UID = 65534;
const asRoot = process.getuid?.() === 0;
const hasSetpriv = haveTool('setpriv', ['--version']);

/** Builds examples/<example> for a target in a fresh folder, as this process's user or as `uid`; the output's files, modes and bytes. */
function buildAs(example: string, target: string, uid?: number): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), `afc-uid-${uid ?? 'self'}-`));
  copyExample(example, dir);
  if (uid !== undefined) {
    chownSync(dir, uid, uid);
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) chownSync(join(entry.parentPath, entry.name), uid, uid);
  }
  const command = [process.execPath, AFC_BIN, 'build', join(dir, 'airflow.yaml'), '--target', target, '--offline', '-o', join(dir, 'out')];
  const run =
    uid === undefined
      ? spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', cwd: dir })
      : spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', ...command], {
          encoding: 'utf8',
          cwd: dir,
          env: { ...process.env, HOME: dir },
        });
  expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
  return snapshotTree(join(dir, 'out'));
}

/**
 * The output must not depend on who runs afc: compose no longer writes
 * AIRFLOW_UID (the containers run as the image's uid 50000 unless the shell
 * that starts them exports it), and no other file may carry the builder's id.
 */
describe.skipIf(!asRoot || !hasSetpriv)(
  `the output does not depend on the builder's uid${asRoot && hasSetpriv ? '' : ' (skipped: needs root and setpriv)'}`,
  () => {
    it.each([
      ['local', 'compose'],
      ['ec2-host', 'ec2'],
    ])('examples/%s --target %s: the same files, modes and bytes as root and as uid 65534', (example, target) => {
      const root = buildAs(example, target);
      const other = buildAs(example, target, OTHER_UID);
      expect(Object.keys(root).length).toBeGreaterThan(2);
      expect(other).toEqual(root);
      for (const [file, content] of Object.entries(root)) expect(content, file).not.toMatch(/AIRFLOW_UID=/);
    });
  },
);
