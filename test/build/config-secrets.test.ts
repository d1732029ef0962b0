import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_TARGETS } from '../../targets/built-in.ts';
import type { Target } from '../../compiler/targets/target.ts';
import { buildInTemp } from '../support/build.ts';
import { MINIMAL as BASE } from '../support/spec.ts';

/** The expected texts below are of Airflow 3.1 (and 2.10 where said), whatever version the shared minimal spec moves to. */
const MINIMAL = BASE.replace(/version: "[^"]+"/, 'version: "3.1.3"');

/** [celery] flower_basic_auth is sensitive in Airflow's tables (the celery provider's). */
const celery = (value: string) =>
  MINIMAL.replace('"3.1.3"', `"3.1.3"\n  executor: CeleryExecutor\n  config:\n    celery:\n      flower_basic_auth: ${value}`)
    .replace('  fernetKey: { ssm: /analytics/fernet_key }', '  fernetKey: { env: FERNET }')
    .replace('  apiSecretKey: { ssm: /analytics/api_secret_key }', '  apiSecretKey: { env: API_KEY }')
    .replace('  jwtSecret: { ssm: /analytics/jwt_secret }', '  jwtSecret: { env: JWT }')
    .concat('broker:\n  managed: {}\n');

describe('a secret option of airflow.config', () => {
  let compose: Target;
  beforeAll(async () => {
    compose = await BUILT_IN_TARGETS.find((t) => t.manifest.name === 'compose')!.load();
  });
  afterEach(() => {
    for (const name of ['FERNET', 'API_KEY', 'JWT', 'FLOWER_AUTH']) delete process.env[name];
  });

  it('reaches the output only in secret files when given as a reference', async () => {
    Object.assign(process.env, { FERNET: 'f'.repeat(44), API_KEY: 'api-key-value', JWT: 'jwt-value', FLOWER_AUTH: 'admin:flower-secret-4711' });
    const built = await buildInTemp(compose, celery('{ env: FLOWER_AUTH }'), {}, undefined, { offline: true });
    expect(built.errors).toEqual([]);
    expect(built.result.ok).toBe(true);
    const files = built.result.ok ? built.result.files : [];
    const holding = files.filter((f) => f.content.includes('flower-secret-4711'));
    expect(holding.length).toBeGreaterThan(0);
    expect(holding.filter((f) => !f.secret).map((f) => f.path)).toEqual([]);
  });

  it('is refused in plain text, so nothing is written', async () => {
    Object.assign(process.env, { FERNET: 'f'.repeat(44), API_KEY: 'api-key-value', JWT: 'jwt-value' });
    const built = await buildInTemp(compose, celery('"admin:flower-secret-4711"'), {}, undefined, { offline: true });
    expect(built.result.ok).toBe(false);
    expect(built.errors.map((d) => d.code)).toEqual(['AFC2034']);
  });
});
