import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCompose } from '../runtime/readers/compose.ts';
import { COMPOSE_CONFIG } from '../runtime/translation.ts';
import { buildOutput } from '../../compiler/build/build.ts';
import { TargetRegistry } from '../../compiler/targets/registry.ts';
import { build, hostileCopy } from '../support/hostile-build.ts';
import { ec2Compose, ec2S3Access, ecsStack, kubernetesObjects } from '../support/hostile-read.ts';
import { HOSTILE_STRINGS, haveCfnLoader, haveGo, havePyYaml } from '../support/hostile.ts';
import { terraformCommand } from '../support/terraform.ts';
import { decide } from '../runtime/readers/ecs/iam.ts';
import { expand } from '../runtime/readers/kubernetes/expansion.ts';

/** The hostile strings that an S3 key may hold in the spec (its pattern takes no line break), joined into one path segment. */
const S3_SEGMENT = HOSTILE_STRINGS.join('|')
  .replace(/[\n\r\u2028\u2029]/g, '')
  .replace(/\//g, '-')
  .concat('|*|?|${aws:username}|${!x}|$${y}');

/** What kustomize cannot write back (AFC3410): NUL, DEL and the C1 controls but U+0085. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
const UNKUSTOMIZABLE = /[\u0000\u007f-\u0084\u0086-\u009f]/;

/** Variable keys for the hostile strings, in order: AIRFLOW_VAR_HOSTILE_0 … */
const variables = Object.fromEntries(HOSTILE_STRINGS.map((s, i) => [`hostile_${i}`, s]));
const expectedVariables = Object.fromEntries(HOSTILE_STRINGS.map((s, i) => [`AIRFLOW_VAR_HOSTILE_${i}`, s]));
/** The same, but for what kustomize cannot write (AFC3410), for the Kubernetes targets. */
const kustomizable = Object.fromEntries(Object.entries(variables).filter(([, s]) => !UNKUSTOMIZABLE.test(s)));
const expectedKustomizable = Object.fromEntries(Object.entries(expectedVariables).filter(([, s]) => !UNKUSTOMIZABLE.test(s)));

describe('hostile values reach each platform unchanged', () => {
  it.skipIf(!existsSync(COMPOSE_CONFIG))('compose: as Compose reads the bundle (interpolation, env files)', async () => {
    const spec = hostileCopy('local', (doc) => {
      doc.setIn(['variables'], doc.createNode(variables));
      doc.setIn(['airflow', 'env', 'HOSTILE_ENV'], HOSTILE_STRINGS.join('|'));
      doc.setIn(['airflow', 'image'], doc.createNode({ repository: 'registry.example.com:5000/team/air-flow__x', tag: 'v1.2_x-y' }));
    });
    const plan = await readCompose(await build(spec, 'compose'));
    const scheduler = plan.pods.find((p) => p.name === 'airflow-scheduler')!.containers[0]!;
    expect(scheduler.env).toMatchObject({ ...expectedVariables, HOSTILE_ENV: HOSTILE_STRINGS.join('|') });
    expect(scheduler.image).toBe('registry.example.com:5000/team/air-flow__x:v1.2_x-y');
  });

  it.skipIf(!haveGo())('eks: args and env values as the kubelet expands them, read with go-yaml', async () => {
    const firstName = HOSTILE_STRINGS.filter((s) => !UNKUSTOMIZABLE.test(s)).join('|');
    const spec = hostileCopy('eks-rds', (doc) => {
      doc.setIn(['variables'], doc.createNode(kustomizable));
      doc.setIn(['secrets', 'adminUser', 'firstName'], firstName);
      doc.setIn(['secrets', 'adminUser', 'lastName'], '$(AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)');
    });
    const outDir = await build(spec, 'eks', { offline: true });
    const objects = kubernetesObjects<{ kind: string; spec?: { template?: { spec: PodSpec } } }>(outDir);
    type Container = { name: string; command?: string[]; args?: string[]; env?: { name: string; value?: string }[] };
    type PodSpec = { containers: Container[]; initContainers?: Container[] };
    // Any $(NAME) left unescaped would become this: the kubelet knows every variable of the container.
    const expanded = (text: string) => expand(text, () => 'EXPANDED-BY-KUBELET');
    const containers = objects.flatMap((o) => (o.spec?.template ? [...o.spec.template.spec.containers, ...(o.spec.template.spec.initContainers ?? [])] : []));
    const createUser = containers.find((c) => c.name === 'create-user')!;
    const args = createUser.args!.map(expanded);
    expect(args[args.indexOf('--firstname') + 1]).toBe(firstName);
    expect(args[args.indexOf('--lastname') + 1]).toBe('$(AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)');
    // The password is the one reference afc means.
    expect(args.at(-1)).toBe('EXPANDED-BY-KUBELET');
    // Each variable, wherever it is (a container's env, expanded; a ConfigMap, read as is), is the spec's string.
    const seen: [string, string][] = [
      ...containers.flatMap((c) => (c.env ?? []).filter((e) => e.value !== undefined).map((e): [string, string] => [e.name, expanded(e.value!)])),
      ...objects.filter((o) => o.kind === 'ConfigMap').flatMap((o) => Object.entries((o as { data?: Record<string, string> }).data ?? {})),
    ].filter(([name]) => name.startsWith('AIRFLOW_VAR_HOSTILE_'));
    expect(new Set(seen.map(([name]) => name))).toEqual(new Set(Object.keys(expectedKustomizable)));
    for (const [name, value] of seen) expect(value, name).toBe(expectedKustomizable[name]);
  });

  it.skipIf(!haveCfnLoader())("ecs: environment and IAM resources as CloudFormation and IAM read them (cfn-lint's loader)", async () => {
    const spec = hostileCopy('ecs-celery', (doc) => {
      doc.setIn(['variables'], doc.createNode(variables));
      doc.setIn(['logging', 'remote', 's3'], `s3://acme-airflow-logs/${S3_SEGMENT}`);
      doc.setIn(['dags', 's3', 'prefix'], `${S3_SEGMENT}/`);
      doc.deleteIn(['environments']);
    });
    const outDir = await build(spec, 'ecs', { offline: true });
    const { env, taskPolicies: policies } = ecsStack(outDir);
    const seen = env.filter(([name]) => name.startsWith('AIRFLOW_VAR_HOSTILE_'));
    expect(new Set(seen.map(([name]) => name))).toEqual(new Set(Object.keys(expectedVariables)));
    for (const [name, value] of seen) expect(value, name).toBe(expectedVariables[name]);
    // The roles allow exactly the keys Airflow writes and reads, and no key beside them.
    const log = `arn:aws:s3:::acme-airflow-logs/${S3_SEGMENT}/dag_id=x/run_id=y/task_id=z/attempt=1.log`;
    expect(decide(policies, 's3:PutObject', log).allowed).toBe(true);
    expect(decide(policies, 's3:PutObject', `arn:aws:s3:::acme-airflow-logs/${S3_SEGMENT.replace('*', 'X')}/a.log`).allowed).toBe(false);
    expect(decide(policies, 's3:GetObject', `arn:aws:s3:::acme-data-platform-dags/${S3_SEGMENT}/dag.py`).allowed).toBe(true);
    expect(decide(policies, 's3:GetObject', 'arn:aws:s3:::acme-data-platform-dags/other/dag.py').allowed).toBe(false);
  });

  it.skipIf(!terraformCommand() || !havePyYaml() || !existsSync(COMPOSE_CONFIG))(
    'ec2: IAM resources as Terraform and IAM read them, and the compose file as Compose reads it from cloud-init',
    async () => {
      const spec = hostileCopy('ec2-host', (doc) => {
        doc.setIn(['variables'], doc.createNode(variables));
        doc.setIn(['logging', 'remote', 's3'], `s3://acme-airflow-logs/${S3_SEGMENT}`);
        doc.setIn(['targets', 'ec2', 'backup', 's3'], `s3://acme-airflow-backups/${S3_SEGMENT}`);
        doc.deleteIn(['environments']);
      });
      const outDir = await build(spec, 'ec2', { offline: true });
      // Every S3 ARN of main.tf, as Terraform evaluates the string (its own references given values first).
      const { policies, prefixes } = ec2S3Access(outDir);
      expect(prefixes).toHaveLength(2);
      for (const bucket of ['acme-airflow-logs', 'acme-airflow-backups']) {
        expect(decide(policies, 's3:PutObject', `arn:aws:s3:::${bucket}/${S3_SEGMENT}/key`).allowed, bucket).toBe(true);
        expect(decide(policies, 's3:PutObject', `arn:aws:s3:::${bucket}/${S3_SEGMENT.replace('*', 'X')}/key`).allowed, bucket).toBe(false);
      }
      expect(prefixes.flat()).toContain(`${S3_SEGMENT.replace(/[$*?]/g, (c) => `\${${c}}`)}/*`);

      // The compose file cloud-init writes, read by Compose with empty env files.
      const plan = await ec2Compose(outDir);
      const scheduler = plan.pods.find((p) => p.name === 'airflow-scheduler')!.containers[0]!;
      expect(scheduler.env).toMatchObject(expectedVariables);
    },
  );

  it('eks: a value kustomize cannot write back is refused (AFC3410)', async () => {
    const spec = hostileCopy('eks-rds', (doc) => doc.setIn(['variables', 'bell'], 'a\u0080b'));
    const result = await buildOutput({ file: spec, target: (await new TargetRegistry().get('eks'))!, outDir: join(spec, '..', 'out'), offline: true });
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['AFC3410']);
  });
});
