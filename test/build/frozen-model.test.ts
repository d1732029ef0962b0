import { describe, expect, it } from 'vitest';
import type { SsmSession } from '../../compiler/secrets/ssm.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { Target } from '../../compiler/targets/target.ts';
import { buildInTemp } from '../support/build.ts';
import { MINIMAL, modelOf } from '../support/spec.ts';

/** Every object and array reachable from a value that is not frozen, by path. */
function unfrozen(value: unknown, path = 'model'): string[] {
  if (value === null || typeof value !== 'object') return [];
  const own = Object.isFrozen(value) ? [] : [path];
  return [...own, ...Object.entries(value).flatMap(([key, child]) => unfrozen(child, `${path}.${key}`))];
}

/** An SSM that holds a fixed set of parameters, listed under their folders. */
function fakeSsm(parameters: Record<string, string>): () => Promise<SsmSession> {
  const all = Object.entries(parameters).map(([name, value]) => ({ name, value, arn: `arn:aws:ssm:eu-west-1:1:parameter${name}` }));
  return async () => ({
    region: 'eu-west-1',
    endpoint: 'fake',
    calls: { GetParameters: 0, GetParametersByPath: 0 },
    getParameters: async (names) => ({ found: all.filter((p) => names.includes(p.name)), missing: names.filter((n) => !(n in parameters)) }),
    getParametersByPath: async (path) => all.filter((p) => p.name.startsWith(path.endsWith('/') ? path : `${path}/`)),
    destroy: () => {},
  });
}

/** A target that keeps the models it was given (to check, then to render) and writes one file. */
function recording(render: (model: Model) => void = () => {}): Target & { seen: Model[] } {
  const seen: Model[] = [];
  return {
    name: 'x-recording',
    description: 'records the model',
    supports: { executors: ['LocalExecutor', 'CeleryExecutor', 'KubernetesExecutor'], dagSources: ['image', 'path', 'git', 's3'] },
    secrets: 'references',
    check(model) {
      seen.push(model);
    },
    render(model) {
      seen.push(model);
      render(model);
      return [{ path: 'out.txt', format: 'text', content: 'x\n' }];
    },
    seen,
  };
}

const SPEC = `${MINIMAL}connections:
  b_conn: { uri: "http://b" }
  fromSsmPath: /app/conn/
variables:
  zeta: z
`;

describe('the model', () => {
  it('is frozen at every depth by normalize', () => {
    const model = modelOf(SPEC);
    expect(unfrozen(model)).toEqual([]);
    expect(() => {
      (model.connections as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      (model.components.webserver as { replicas: number }).replicas = 3;
    }).toThrow(TypeError);
  });

  it('gains the connections SSM lists as a new frozen model, in order, the validated one untouched', async () => {
    const target = recording();
    const keys = Object.fromEntries(['fernet_key', 'api_secret_key', 'jwt_secret'].map((k) => [`/analytics/${k}`, k]));
    const ssm = fakeSsm({ ...keys, '/app/conn/a_conn': 'http://a', '/app/conn/c_conn': 'http://c' });
    const built = await buildInTemp(target, SPEC, {}, undefined, { openSsm: ssm });
    expect(built.errors).toEqual([]);
    const [validated, rendered] = target.seen;
    expect(rendered!.connections.map((c) => c.id)).toEqual(['a_conn', 'b_conn', 'c_conn']);
    expect(rendered!.connections[0]!.value).toEqual({ ssm: '/app/conn/a_conn' });
    expect(unfrozen(rendered)).toEqual([]);
    expect(validated!.connections.map((c) => c.id)).toEqual(['b_conn']);
  });

  it('cannot be changed by a target: the build fails loudly instead', async () => {
    const target = recording((model) => {
      (model.network.allowedCidrs as string[]).push('0.0.0.0/0');
    });
    await expect(buildInTemp(target, MINIMAL, {}, undefined, { offline: true })).rejects.toThrow(TypeError);
  });
});
