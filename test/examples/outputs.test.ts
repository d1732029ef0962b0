import { describe, expect, it } from 'vitest';
import { compareOutput } from '../../compiler/write/compare-output.ts';
import { buildExample, EXAMPLE_OUTPUTS } from '../../scripts/examples.ts';
import { afc } from '../support/cli.ts';

describe('committed output under out/', () => {
  it.each(EXAMPLE_OUTPUTS)('out/$example/$target is current (run `npm run examples`)', async ({ example, target }) => {
    const { outDir, result } = await buildExample(example, target);
    expect(result.diagnostics).toEqual([]);
    expect(compareOutput(outDir, result.files!)).toEqual([]);
  });

  it('afc build --check agrees, as CI and reviewers run it', () => {
    for (const { example, target } of EXAMPLE_OUTPUTS) {
      expect(afc(['build', `examples/${example}/airflow.yaml`, '--target', target, '-o', `out/${example}/${target}`, '--check'])).toMatchObject({ status: 0, stdout: `out/${example}/${target} is current\n` });
    }
  });
});
