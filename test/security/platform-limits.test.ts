import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOutput } from '../../compiler/build/build.ts';
import { TargetRegistry } from '../../compiler/targets/registry.ts';
import { hostileCopy } from '../support/hostile-build.ts';
import { dataBytes } from '../../targets/kubernetes/object-limits.ts';

/** The example with `count` plain connections and variables more: what afc carries in the output for each. */
async function buildWith(example: string, target: string, count: number) {
  const spec = hostileCopy(example, (doc) => {
    for (let i = 0; i < count; i++) {
      doc.setIn(['connections', `conn_${i}`], doc.createNode({ uri: `postgres://user:@db-${i}.internal.example.com:5432/warehouse_${i}?sslmode=require` }));
      doc.setIn(['variables', `var_${i}`], `value of variable ${i}, long enough to count: ${'x'.repeat(40)}`);
    }
    doc.deleteIn(['environments']);
  });
  const result = await buildOutput({ file: spec, target: (await new TargetRegistry().get(target))!, outDir: join(spec, '..', 'out'), offline: true });
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
}

describe('platform limits, with the measured size and the limit', () => {
  it('ec2: user data over 16 KB gzipped is refused (AFC3207); the example is far below', async () => {
    expect(await buildWith('ec2-host', 'ec2', 0)).toEqual([]);
    const errors = await buildWith('ec2-host', 'ec2', 1000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^AFC3207 cloud-init\.yaml is \d+ bytes gzipped \(\d+ bytes as text\); EC2 accepts at most 16384 bytes of user data$/);
  });

  it('ecs: a task definition over 64 KiB is refused (AFC3512); the example is far below', async () => {
    expect(await buildWith('ecs-celery', 'ecs', 0)).toEqual([]);
    const errors = await buildWith('ecs-celery', 'ecs', 1000);
    const tasks = errors.filter((e) => e.startsWith('AFC3512 '));
    expect(tasks.length).toBeGreaterThan(0);
    for (const e of tasks) expect(e).toMatch(/^AFC3512 task definition \w+ is about \d+ bytes as JSON; ECS registers at most 65536 \(64 KiB\)$/);
    // The template as a whole is over CloudFormation's 1 MB too.
    expect(errors.filter((e) => !e.startsWith('AFC3512 '))).toEqual([
      expect.stringMatching(/^AFC3513 stack\.yaml is \d+ bytes; CloudFormation reads a template of at most 1000000 bytes, even from S3$/),
    ]);
  });
});

describe('Kubernetes object limits, with the measured size and the limit', () => {
  it('kubernetes: a Secret over 1 MiB is refused (AFC3411), its size counted as the API server counts it', async () => {
    // 20 connections from { file: } secrets of 60,000 bytes each (under the 64 KiB a secret file may hold).
    const uri = `postgres://user:pass@db.internal.example.com:5432/warehouse?options=${'x'.repeat(60_000 - 68)}`;
    expect(uri).toHaveLength(60_000);
    const spec = hostileCopy('local', (doc) => {
      doc.setIn(['dags'], doc.createNode({ image: {} }));
      for (let i = 0; i < 20; i++) doc.setIn(['connections', `big_${i}`], doc.createNode({ file: `./secrets/big_${i}` }));
    });
    for (let i = 0; i < 20; i++) writeFileSync(join(spec, '..', 'secrets', `big_${i}`), `${uri}\n`);
    const result = await buildOutput({ file: spec, target: (await new TargetRegistry().get('kubernetes'))!, outDir: join(spec, '..', 'out'), offline: true });
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
    // 1,200,000 bytes of the 20 connections, and the example's own secrets (the fernet key 44 bytes, the API and JWT keys 64 each, the warehouse connection 75: 247 bytes, their files less the final line break).
    expect(errors).toEqual([
      'AFC3411 secret.yaml: Secret analytics-secrets holds 1200247 bytes of data; Kubernetes stores at most 1048576 bytes (1 MiB) in one ConfigMap or Secret',
    ]);
  });

  it('eks: annotations over 256 KiB on one object are refused (AFC3412)', async () => {
    // The example's Ingress annotations (8, 474 bytes of keys and values, out/eks-rds/eks/ingress.yaml) and one of 11 + 262,144 bytes.
    const spec = hostileCopy('eks-rds', (doc) => doc.setIn(['targets', 'eks', 'ingress', 'annotations', 'example/big'], 'x'.repeat(262_144)));
    const result = await buildOutput({ file: spec, target: (await new TargetRegistry().get('eks'))!, outDir: join(spec, '..', 'out'), offline: true });
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
    expect(errors).toEqual([
      'AFC3412 ingress.yaml: Ingress analytics-api-server has 262629 bytes of annotations; Kubernetes accepts at most 262144 bytes (256 KiB) on one object',
    ]);
  });

  it('dataBytes counts a ConfigMap by keys and values, a Secret by its decoded values', () => {
    expect(dataBytes({ kind: 'ConfigMap', data: { ab: 'cde', é: 'x' } })).toBe(2 + 3 + 2 + 1);
    expect(dataBytes({ kind: 'Secret', data: { key: Buffer.from('12345').toString('base64') }, stringData: { other: 'é' } })).toBe(5 + 2);
    expect(dataBytes({ kind: 'Service' })).toBeUndefined();
  });
});
