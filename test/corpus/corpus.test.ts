import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afc, REPO } from '../support/cli.ts';

/**
 * Every spec here is wrong in one way. Its expected diagnostics (code, line,
 * column, message, code frame, hint) are the golden file beside it:
 * `<name>.diagnostics.txt`, written by `npx vitest run test/corpus -u` and
 * reviewed like code.
 */
const dir = join(REPO, 'test/corpus/specs');
const specs = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

describe('bad-input corpus', () => {
  it('has at least 30 specs', () => {
    expect(specs.length).toBeGreaterThanOrEqual(30);
  });

  it.each(specs)('%s', async (name) => {
    const relative = `test/corpus/specs/${name}`;
    const result = afc(['validate', relative]);
    expect(result.stderr).toBe('');
    expect(result.status, result.stdout).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${relative.replace(/[.]/g, '\\.')}:\\d+:\\d+: error AFC\\d{4}: `, 'm'));
    await expect(result.stdout).toMatchFileSnapshot(`specs/${name.replace(/\.ya?ml$/, '')}.diagnostics.txt`);
  });
});
