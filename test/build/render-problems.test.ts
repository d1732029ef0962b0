import { describe, expect, it } from 'vitest';
import type { Target } from '../../compiler/targets/target.ts';
import { buildInTemp } from '../support/build.ts';
import { MINIMAL } from '../support/spec.ts';

/** A target whose render finds two problems in the spec's data and one it only warns about. */
const picky: Target = {
  name: 'x-picky',
  description: 'reports while rendering',
  supports: { executors: ['LocalExecutor', 'CeleryExecutor', 'KubernetesExecutor'], dagSources: ['image', 'path', 'git', 's3'] },
  secrets: 'references',
  check: () => {},
  render(model, ctx) {
    ctx.report('warning', 'AFC3901', ['name'], 'a warning from render');
    ctx.report('error', 'AFC4011', ctx.secrets.usedAt(model.secrets.fernetKey), 'the fernet key cannot go here', 'a hint');
    ctx.report('error', 'AFC3902', ['airflow', 'version'], 'the version cannot go here');
    return [{ path: 'out.txt', format: 'text', content: 'x\n' }];
  },
};

describe('problems found while rendering', () => {
  it('are reported at their paths, without a throw, and stop the build', async () => {
    const built = await buildInTemp(picky, MINIMAL, {}, undefined, { offline: true });
    expect(built.result.ok).toBe(false);
    expect(built.result.diagnostics.map((d) => `${d.severity} ${d.code}@${d.line}:${d.column} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`)).toEqual([
      'warning AFC3901@2:7 a warning from render',
      'error AFC3902@4:12 the version cannot go here',
      'error AFC4011@6:14 the fernet key cannot go here | a hint',
    ]);
  });

  it('that are only warnings let the build go on', async () => {
    const lenient: Target = {
      ...picky,
      render(_, ctx) {
        ctx.report('warning', 'AFC3901', ['name'], 'w');
        return [{ path: 'a.txt', format: 'text', content: '' }];
      },
    };
    const built = await buildInTemp(lenient, MINIMAL, {}, undefined, { offline: true });
    expect(built.result.ok).toBe(true);
    expect(built.result.diagnostics.map((d) => d.code)).toEqual(['AFC3901']);
  });
});
