import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOutput } from '../../compiler/build/build.ts';
import { TargetRegistry } from '../../compiler/targets/registry.ts';
import { hostileCopy } from '../support/hostile-build.ts';

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
