import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutput } from '../../compiler/write/write-output.ts';
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
});
