import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ForeignFilesError, foreignFiles, writeOutput } from '../../compiler/write/write-output.ts';
import { snapshotTree } from '../support/build.ts';

describe('writeOutput', () => {
  it('leaves the previous output as it was when writing the new one fails halfway, and no staging folder behind', () => {
    const parent = mkdtempSync(join(tmpdir(), 'afc-write-'));
    const dir = join(parent, 'out');
    writeOutput(dir, [
      { path: 'a.yaml', content: 'first\n', secret: false },
      { path: '.env', content: 'KEY=1\n', secret: true },
    ]);
    const before = snapshotTree(dir);
    // The second file needs `b` to be a folder, and the first made it a file: the write fails after one file.
    expect(() =>
      writeOutput(dir, [
        { path: 'b', content: 'new\n', secret: false },
        { path: 'b/c.yaml', content: 'new\n', secret: false },
      ]),
    ).toThrow();
    expect(snapshotTree(dir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['out']);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('first\n');
  });

  it('refuses to replace files it did not write, naming them, and replaces them with force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afc-write-'));
    writeFileSync(join(dir, 'main.tf'), 'hand-written\n');
    writeFileSync(join(dir, 'NOTES.md'), 'ours\n');
    const files = [
      { path: 'main.tf', content: 'generated\n', secret: false },
      { path: 'README.md', content: 'generated\n', secret: false },
    ];
    expect(foreignFiles(dir, files)).toEqual(['main.tf']);
    expect(() => writeOutput(dir, files)).toThrow(ForeignFilesError);
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe('hand-written\n');
    expect(readdirSync(dir).sort()).toEqual(['NOTES.md', 'main.tf']);
    writeOutput(dir, [...files, { path: '.afc-manifest', content: 'main.tf\nREADME.md\n.afc-manifest\n', secret: false }], { force: true });
    expect(readFileSync(join(dir, 'main.tf'), 'utf8')).toBe('generated\n');
    // Now afc's own (the manifest lists it): a rebuild replaces it without force; NOTES.md is kept throughout.
    expect(foreignFiles(dir, files)).toEqual([]);
    expect(readFileSync(join(dir, 'NOTES.md'), 'utf8')).toBe('ours\n');
  });
});
