import { synth } from 'afc/testing';
import type { Target } from 'afc/target';
import { describe, expect, it } from 'vitest';
import { MINIMAL } from '../support/spec.ts';

const plugin: Target = {
  name: 'probe',
  description: 'test plugin',
  supports: { executors: ['LocalExecutor'], dagSources: ['image'] },
  secrets: 'references',
  check() {},
  render: (model) => [{ path: 'out.json', format: 'json', content: { name: model.name } }],
};

describe('afc/testing synth', () => {
  it('builds in memory and returns the files, afc bookkeeping included', async () => {
    const result = await synth(plugin, MINIMAL);
    expect(result.ok && result.files.map((f) => f.path).sort()).toEqual(['.afc-manifest', '.gitignore', 'out.json']);
  });

  it('fails where --plugin would refuse the target, naming why', async () => {
    await expect(synth({ ...plugin, name: 'compose' }, MINIMAL)).rejects.toThrow(
      'afc --plugin would refuse this target: a target named "compose" is already registered',
    );
    await expect(synth({ ...plugin, codes: { AFC3101: { title: 'x' } } }, MINIMAL)).rejects.toThrow('code AFC3101 is already taken');
    await expect(synth({ ...plugin, settingsKey: 'probe' }, MINIMAL)).rejects.toThrow("a plugin's settings are targets.x-probe");
  });

  it('reads SSM references from the map it is given', async () => {
    const values = { '/analytics/fernet_key': 'F', '/analytics/api_secret_key': 'A' };
    const missing = await synth({ ...plugin, secrets: 'values' }, MINIMAL, { ssm: values });
    expect(missing.ok).toBe(false);
    expect(missing.problems.map((p) => p.code)).toEqual(['AFC4005']);
    expect(missing.problems[0]!.message).toContain('/analytics/jwt_secret');
  });
});
