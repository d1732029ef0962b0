import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assert, describe, expect, it } from 'vitest';
import { environmentNames } from '../../compiler/load/apply-environment.ts';
import { validateFile } from '../../compiler/validate/validate-spec.ts';
import { afc, REPO } from '../support/cli.ts';

const examples = readdirSync(join(REPO, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('examples', () => {
  it('hold the quick start and one spec per reference deployment', () => {
    expect(examples).toEqual(expect.arrayContaining(['local', 'ec2-host', 'eks-rds', 'ecs-celery']));
  });

  it.each(examples)('%s validates with no diagnostic, in every environment', (name) => {
    const file = join(REPO, 'examples', name, 'airflow.yaml');
    const result = validateFile(file);
    expect(result.diagnostics).toEqual([]);
    assert(result.ok);
    for (const environment of environmentNames(result.spec)) {
      expect(validateFile(file, { environment }).diagnostics, environment).toEqual([]);
    }
  });

  it('all validate in one CLI call, as the quick start runs them', () => {
    const result = afc(['validate', ...examples.map((e) => `examples/${e}/airflow.yaml`)]);
    expect(result).toMatchObject({ status: 0, stdout: `${examples.length} files checked: 0 errors, 0 warnings\n` });
  });
});
