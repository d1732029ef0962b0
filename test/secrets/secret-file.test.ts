import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readSecretFile, SECRET_FILE_MAX_BYTES } from '../../compiler/secrets/secret-file.ts';

/** A spec folder `spec/` (with secrets/key) beside a folder `outside/` (with key). */
function folders() {
  const root = mkdtempSync(join(tmpdir(), 'afc-secret-file-'));
  mkdirSync(join(root, 'spec/secrets'), { recursive: true });
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'spec/secrets/key'), 'inside-value\n');
  writeFileSync(join(root, 'outside/key'), 'outside-value\n');
  return { root, specFile: join(root, 'spec/airflow.yaml') };
}

describe('{ file: } secrets', () => {
  it('reads a regular file beside the spec, dropping one trailing line break', () => {
    const { specFile } = folders();
    expect(readSecretFile('./secrets/key', { specFile })).toEqual({ value: 'inside-value' });
  });

  it('refuses a path that leaves the spec folder, unless the builder allows that folder', () => {
    const { root, specFile } = folders();
    const refused = readSecretFile('../outside/key', { specFile });
    expect(refused).toMatchObject({ code: 'AFC4003', reason: expect.stringContaining("outside the spec's folder") });
    expect(readSecretFile(join(root, 'outside/key'), { specFile })).toMatchObject({ code: 'AFC4003' });
    expect(readSecretFile('../outside/key', { specFile, allowedFolders: [join(root, 'outside')] })).toEqual({ value: 'outside-value' });
  });

  it('refuses a symbolic link that leads out of the spec folder, and follows one that stays inside', () => {
    const { root, specFile } = folders();
    symlinkSync(join(root, 'outside/key'), join(root, 'spec/secrets/out-link'));
    symlinkSync(join(root, 'spec/secrets/key'), join(root, 'spec/secrets/in-link'));
    expect(readSecretFile('./secrets/out-link', { specFile })).toMatchObject({ code: 'AFC4003' });
    expect(readSecretFile('./secrets/in-link', { specFile })).toEqual({ value: 'inside-value' });
  });

  it('refuses /proc, /dev and /sys even when allowed, and never reads /dev/zero', () => {
    const { specFile } = folders();
    const everything = { specFile, allowedFolders: ['/'] };
    for (const path of ['/proc/self/environ', '/dev/zero', '/dev/stdin', '/sys/kernel/mm/transparent_hugepage/enabled'])
      expect(readSecretFile(path, everything), path).toMatchObject({ code: 'AFC4003' });
  });

  it('refuses a FIFO without waiting for a writer', () => {
    const { root, specFile } = folders();
    execFileSync('mkfifo', [join(root, 'spec/secrets/fifo')]);
    expect(readSecretFile('./secrets/fifo', { specFile })).toMatchObject({ code: 'AFC4003', reason: expect.stringContaining('not a regular file') });
  });

  it('reads a file of exactly the cap and refuses one byte more', () => {
    const { root, specFile } = folders();
    writeFileSync(join(root, 'spec/secrets/max'), 'x'.repeat(SECRET_FILE_MAX_BYTES));
    writeFileSync(join(root, 'spec/secrets/big'), 'x'.repeat(SECRET_FILE_MAX_BYTES + 1));
    expect(readSecretFile('./secrets/max', { specFile })).toEqual({ value: 'x'.repeat(SECRET_FILE_MAX_BYTES) });
    expect(readSecretFile('./secrets/big', { specFile })).toMatchObject({ code: 'AFC4003', reason: expect.stringContaining('more than 65536 bytes') });
  });

  it('says AFC4002 for a missing file or a folder', () => {
    const { specFile } = folders();
    expect(readSecretFile('./secrets/none', { specFile })).toMatchObject({ code: 'AFC4002', reason: 'no such file' });
    expect(readSecretFile('./secrets', { specFile })).toMatchObject({ code: 'AFC4002', reason: 'it is a directory' });
  });
});
