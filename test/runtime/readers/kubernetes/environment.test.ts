import { describe, expect, it } from 'vitest';
import { ConfigData } from './config-data.ts';
import { containerEnvironment, type PodFacts } from './environment.ts';
import type { Manifest } from './manifests.ts';

const manifest = (kind: string, name: string, fields: Record<string, unknown>): Manifest => ({
  apiVersion: kind === 'ExternalSecret' ? 'external-secrets.io/v1' : 'v1',
  kind,
  metadata: { name },
  source: `test: ${kind}/${name}`,
  ...fields,
});
const pod: PodFacts = { name: 'web-0', namespace: 'data', labels: { app: 'web' }, annotations: { note: 'n' }, serviceAccountName: 'runner' };
const platform = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };

function data(ssm: Record<string, string> = { '/app/pw': 'pw' }): ConfigData {
  return new ConfigData(
    [
      manifest('ConfigMap', 'config', { data: { A: 'from-config', SHARED: 'config', 'not a name': 'x', '1digit': 'y', 'dotted.key': 'z' } }),
      manifest('Secret', 'secret', {
        data: { SHARED: Buffer.from('secret').toString('base64'), B: Buffer.from('b64').toString('base64') },
        stringData: { B: 'string data wins', PW: 'p@ss word' },
      }),
      manifest('ExternalSecret', 'external', {
        spec: {
          data: [{ secretKey: 'pw', remoteRef: { key: '/app/pw' } }],
          target: { name: 'rendered', template: { engineVersion: 'v2', data: { URL: 'postgresql://u:{{ .pw | urlquery | replace "+" "%20" }}@db/x' } } },
        },
      }),
    ],
    new Map(Object.entries(ssm)),
  );
}

describe('a container environment, as the kubelet makes it', () => {
  it('takes envFrom in order (later sources win), skips keys that are no variable name, then env over it', () => {
    const { env } = containerEnvironment(
      { name: 'c', envFrom: [{ configMapRef: { name: 'config' } }, { secretRef: { name: 'secret' } }], env: [{ name: 'A', value: 'from-env' }] },
      pod,
      data(),
      platform,
      'test',
    );
    expect(env).toMatchObject({ A: 'from-env', SHARED: 'secret', B: 'string data wins', PW: 'p@ss word', 'dotted.key': 'z', ...platform });
    expect(env).not.toHaveProperty('not a name');
    expect(env).not.toHaveProperty('1digit');
  });

  it('prefixes envFrom keys', () => {
    const { env } = containerEnvironment({ name: 'c', envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'config' } }] }, pod, data(), {}, 'test');
    expect(env).toEqual({ CFG_A: 'from-config', CFG_SHARED: 'config', 'CFG_dotted.key': 'z', CFG_1digit: 'y' });
  });

  it("expands $(VAR) in values from what is defined before (and the cluster's variables), not after", () => {
    const { env } = containerEnvironment(
      {
        name: 'c',
        envFrom: [{ configMapRef: { name: 'config' } }],
        env: [
          { name: 'FIRST', value: '$(A)/$(LATER)/$(KUBERNETES_SERVICE_HOST)/$$(A)' },
          { name: 'LATER', value: 'later' },
          { name: 'SECOND', value: '$(LATER)' },
        ],
      },
      pod,
      data(),
      platform,
      'test',
    );
    expect(env.FIRST).toBe('from-config/$(LATER)/10.0.0.1/$(A)');
    expect(env.SECOND).toBe('later');
  });

  it("resolves valueFrom: secret and ConfigMap keys, the downward API; the pod's address is left to the runner", () => {
    const result = containerEnvironment(
      {
        name: 'c',
        env: [
          { name: 'S', valueFrom: { secretKeyRef: { name: 'secret', key: 'PW' } } },
          { name: 'C', valueFrom: { configMapKeyRef: { name: 'config', key: 'A' } } },
          { name: 'MISSING', valueFrom: { secretKeyRef: { name: 'nope', key: 'x', optional: true } } },
          { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        ],
      },
      pod,
      data(),
      {},
      'test',
    );
    expect(result.env).toEqual({ S: 'p@ss word', C: 'from-config', NAME: 'web-0', NS: 'data', LABEL: 'web', SA: 'runner' });
    expect(result.addressEnv).toEqual(['IP']);
  });

  it('renders an ExternalSecret from SSM into the Secret it names', () => {
    const { env } = containerEnvironment({ name: 'c', envFrom: [{ secretRef: { name: 'rendered' } }] }, pod, data({ '/app/pw': 'a b+c' }), {}, 'test');
    expect(env).toEqual({ URL: 'postgresql://u:a%20b%2Bc@db/x' });
  });

  it('refuses what would keep the container from starting', () => {
    expect(() => containerEnvironment({ name: 'c', envFrom: [{ secretRef: { name: 'nope' } }] }, pod, data(), {}, 'test')).toThrow(
      /Secret nope does not exist/,
    );
    expect(() =>
      containerEnvironment({ name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'config', key: 'nope' } } }] }, pod, data(), {}, 'test'),
    ).toThrow(/has no key nope/);
    expect(
      () => new ConfigData([manifest('ExternalSecret', 'e', { spec: { data: [{ secretKey: 'k', remoteRef: { key: '/missing' } }] } })], new Map()),
    ).toThrow(/SSM has no parameter \/missing/);
    expect(() => new ConfigData([manifest('ConfigMap', 'c', { data: { N: 16 } })], new Map())).toThrow(/ConfigMap values are strings/);
  });
});
