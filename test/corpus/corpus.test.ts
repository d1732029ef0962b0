import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afc, REPO } from '../support/cli.ts';

/**
 * Every spec here is wrong in one way. Its expected diagnostics (code, line,
 * column, message, code frame, hint) are the golden file beside it:
 * `<name>.diagnostics.txt`, written by `npx vitest run test/corpus -u` and
 * reviewed like code. Most are errors (exit 1); a spec whose golden file
 * counts 0 errors is a mistake afc only warns about (exit 0). A new
 * warnings-only case starts from a golden file holding just its summary line
 * (`1 file checked: 0 errors, 1 warning`), which `-u` then fills in.
 */
const dir = join(REPO, 'test/corpus/specs');
const specs = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

describe('bad-input corpus', () => {
  it('has at least 30 specs, each with a number of its own', () => {
    expect(specs.length).toBeGreaterThanOrEqual(30);
    const numbers = specs.map((name) => name.split('-')[0]);
    expect(numbers.filter((n, i) => numbers.indexOf(n) !== i)).toEqual([]);
  });

  it.each(specs)('%s', async (name) => {
    const relative = `test/corpus/specs/${name}`;
    const result = afc(['validate', relative]);
    const golden = join(dir, `${name.replace(/\.ya?ml$/, '')}.diagnostics.txt`);
    const warningsOnly = existsSync(golden) && / 0 errors, [1-9]\d* warnings?\n$/.test(readFileSync(golden, 'utf8'));
    expect(result.stderr).toBe('');
    expect(result.status, result.stdout).toBe(warningsOnly ? 0 : 1);
    const severity = warningsOnly ? 'warning' : 'error';
    expect(result.stdout).toMatch(new RegExp(`^${relative.replace(/[.]/g, '\\.')}:\\d+:\\d+: ${severity} AFC\\d{4}: `, 'm'));
    await expect(result.stdout).toMatchFileSnapshot(golden);
  });
});
