import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { assert, beforeAll, describe, expect, it } from 'vitest';
import { buildOutput } from '../../compiler/build/build.ts';
import { writeOutput } from '../../compiler/write/write-output.ts';
import { ecsTarget } from '../../targets/ecs/index.ts';
import { buildInTemp } from '../support/build.ts';
import { synthInTemp } from '../support/synth.ts';
import { cfnLint, parseTemplate } from '../support/cloudformation.ts';
import { putSecureStrings, useMoto } from '../support/moto.ts';
import { haveTool, skipReason } from '../support/tools.ts';

const hasCfnLint = haveTool('cfn-lint');
const hasMoto = haveTool('moto_server', ['--help']);

interface Variant {
  version: '2.10.5' | '3.1.3';
  executor: 'LocalExecutor' | 'CeleryExecutor';
  database: 'managed' | 'external';
  broker: 'managed' | 'external' | 'none';
  dags: 'image' | 'efs' | 'sidecar';
  tls: boolean;
}

function spec(
  v: Variant,
  network = { vpc: 'vpc-0a1b2c3d', subnets: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'], publicSubnets: ['subnet-2a3b4c5d', 'subnet-3a4b5c6d'] },
): string {
  const database =
    v.database === 'managed'
      ? 'database:\n  managed: { version: "16.8", password: { ssm: /ecs/db_password } }\n'
      : 'database:\n  external: { host: db.internal, user: airflow, password: { ssm: /ecs/db_password }, sslmode: require }\n';
  const broker = v.broker === 'none' ? '' : v.broker === 'managed' ? 'broker: { managed: {} }\n' : 'broker:\n  external: { url: { ssm: /ecs/broker_url } }\n';
  const celery =
    v.executor === 'CeleryExecutor'
      ? 'components:\n  workers: { replicas: 2, autoscaling: { min: 1, max: 6 }, queues: [default, heavy] }\n  flower: { enabled: true }\n'
      : '';
  const dags = v.dags === 'image' ? '' : 'dags: { s3: { bucket: acme-dags, prefix: dags/ } }\n';
  return `apiVersion: afc/v1
name: ecs
airflow:
  version: "${v.version}"
  executor: ${v.executor}
${dags}${database}${broker}${celery}secrets:
  fernetKey: { ssm: /ecs/fernet_key }
  apiSecretKey: { ssm: /ecs/api_secret_key }
${v.version.startsWith('3') ? '  jwtSecret: { ssm: /ecs/jwt_secret }\n' : ''}  adminUser: { email: ops@acme.io, password: { ssm: /ecs/admin_password } }
connections:
  aws_default: { uri: "aws://?region_name=eu-west-1" }
  warehouse: { ssm: /ecs/conn/warehouse }
logging:
  remote: { s3: "s3://acme-logs/ecs" }
network:
  allowedCidrs: [10.0.0.0/8]
${v.tls ? '  tls: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }\n' : ''}targets:
  ecs:
    region: eu-west-1
    vpcId: ${network.vpc}
    subnetIds: [${network.subnets.join(', ')}]
    publicSubnetIds: [${network.publicSubnets.join(', ')}]
${v.dags === 'image' ? '' : `    dagsSync: ${v.dags}\n`}`;
}

const variants: Variant[] = [];
for (const version of ['2.10.5', '3.1.3'] as const)
  for (const database of ['managed', 'external'] as const)
    for (const tls of [false, true])
      for (const dags of ['image', 'efs', 'sidecar'] as const) {
        variants.push({ version, executor: 'LocalExecutor', database, broker: 'none', tls, dags });
        for (const broker of ['managed', 'external'] as const) variants.push({ version, executor: 'CeleryExecutor', database, broker, tls, dags });
      }

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
type ContainerDef = {
  Name: string;
  Essential: boolean;
  Image: unknown;
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  HealthCheck?: { Command: string[]; Interval: number; Timeout: number };
};

const containersOf = (template: Template) =>
  Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::ECS::TaskDefinition')
    .flatMap((r) => r.Properties.ContainerDefinitions as ContainerDef[]);

import { AWS_CLI_IMAGE, s3SyncCommand, s3SyncedCommand, s3SyncLoop } from '../../compiler/dags/sync.ts';

describe('ecs target', () => {
  const built = new Map<Variant, { text: string; file: string; warnings: string[] }>();
  beforeAll(async () => {
    for (const v of variants) {
      const b = await synthInTemp(ecsTarget, spec(v), {}, undefined, { offline: true });
      if (b.errors.length) throw new Error(`${JSON.stringify(v)}: ${b.errors.map((e) => e.message).join('; ')}`);
      built.set(v, { text: b.read('stack.yaml'), file: join(b.outDir, 'stack.yaml'), warnings: b.result.problems.map((d) => d.code) });
    }
  });

  // cfn-lint over all 72 variants in one call took 42-47 s on an idle 2-core machine and 90-104 s on a busy
  // one, against vitest's 60 s. Measured: start-up about 1.4 s, then 0.5-0.8 s per template (0.57 s on
  // average). So: batches of 9, one call and one test each. A batch took 6.4-6.8 s idle, 9.7-10.9 s with
  // both cores busy, and 7-53 s beside the runtime harness's Airflow processes (load average 12-18).
  // 120 s each is over 17x the idle time and twice the worst seen.
  const LINT_BATCH = 9;
  const LINT_TIMEOUT_MS = 120_000;
  const batches = Array.from({ length: Math.ceil(variants.length / LINT_BATCH) }, (_, i) => ({
    first: i * LINT_BATCH + 1,
    last: Math.min((i + 1) * LINT_BATCH, variants.length),
  }));
  it.skipIf(!hasCfnLint).each(batches)(
    `cfn-lint reports no error and no warning on variants $first-$last${hasCfnLint ? '' : ` (skipped: ${skipReason('cfn-lint')})`}`,
    ({ first, last }) => {
      const files = variants.slice(first - 1, last).map((v) => built.get(v)!.file);
      const findings = cfnLint(files);
      expect(Object.values(findings).flat()).toEqual([]);
      expect(Object.keys(findings)).toHaveLength(files.length);
    },
    LINT_TIMEOUT_MS,
  );

  it.each(variants)(
    '$executor, Airflow $version, $database database, broker $broker, DAGs $dags, TLS $tls: one parameter per key, for the containers that get it',
    (v) => {
      const { text, warnings } = built.get(v)!;
      expect(warnings).toEqual(v.tls ? [] : ['AFC3508']);
      const template = parseTemplate(text) as unknown as Template;
      const containers = containersOf(template).filter((c) => c.Essential && JSON.stringify(c.Image).includes('apache/airflow'));
      expect(containers.length).toBeGreaterThanOrEqual(v.executor === 'CeleryExecutor' ? 5 : 3);
      const keys = [
        'AIRFLOW__CORE__FERNET_KEY',
        v.version.startsWith('3') ? 'AIRFLOW__API__SECRET_KEY' : 'AIRFLOW__WEBSERVER__SECRET_KEY',
        ...(v.version.startsWith('3') ? ['AIRFLOW__API_AUTH__JWT_SECRET'] : []),
      ];
      for (const key of keys) {
        // Which container gets which key: test/targets/secrets-by-component.test.ts.
        const sources = new Set(containers.flatMap((c) => c.Secrets?.filter((s) => s.Name === key).map((s) => JSON.stringify(s.ValueFrom)) ?? []));
        expect([...sources], key).toHaveLength(1);
        expect([...sources][0], key).toMatch(/arn:\$\{AWS::Partition\}:ssm:\$\{AWS::Region\}:\$\{AWS::AccountId\}:parameter\/ecs\//);
      }
      // The execution role may read exactly the parameters the containers name.
      const policy = JSON.stringify(template.Resources.TaskExecutionRole!.Properties.Policies);
      for (const c of containers) for (const s of c.Secrets ?? []) expect(policy).toContain(JSON.stringify(s.ValueFrom));
    },
  );

  it.each(variants.filter((v) => v.dags !== 'image' && v.executor === 'CeleryExecutor' && v.broker === 'managed' && !v.tls))(
    'Airflow $version, DAGs $dags: Airflow starts after a first S3 sync, and the sync loop stops on SIGTERM',
    (v) => {
      const template = parseTemplate(built.get(v)!.text) as unknown as Template & {
        Resources: Record<
          string,
          { DependsOn?: string[]; Properties: { ContainerDefinitions?: (ContainerDef & { Command: string[]; DependsOn?: unknown[] })[] } }
        >;
      };
      const dags = { kind: 's3', bucket: 'acme-dags', prefix: 'dags/', period: '30s' } as const;
      const services = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::ECS::Service');
      if (v.dags === 'efs') {
        // One service syncs EFS; it is healthy after its first sync, and CloudFormation creates the others after it.
        const sync = template.Resources.DagSyncTaskDefinition!.Properties.ContainerDefinitions!;
        expect(sync.map((c) => [c.Name, c.Essential, c.Command])).toEqual([['dags-sync', true, [s3SyncLoop(dags, '/opt/airflow/dags', { markReady: true })]]]);
        expect(sync[0]!.HealthCheck?.Command).toEqual(['CMD-SHELL', s3SyncedCommand()]);
        for (const [id, r] of services.filter(([id]) => id !== 'DagSyncService')) expect(r.DependsOn, id).toContain('DagSyncService');
      } else {
        // Each task syncs once before its Airflow container starts, then keeps the folder current.
        for (const [id, r] of Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::ECS::TaskDefinition')) {
          const byName = new Map(r.Properties.ContainerDefinitions!.map((c) => [c.Name, c]));
          expect(byName.get('dags-sync-init')?.Command, id).toEqual([s3SyncCommand(dags, '/opt/airflow/dags')]);
          expect(byName.get('dags-sync')?.Command, id).toEqual([s3SyncLoop(dags, '/opt/airflow/dags')]);
          const airflow = r.Properties.ContainerDefinitions!.find((c) => c.Essential)!;
          expect(airflow.DependsOn, id).toContainEqual({ ContainerName: 'dags-sync-init', Condition: 'SUCCESS' });
        }
      }
      for (const c of containersOf(template).filter((c) => c.Name.startsWith('dags-sync'))) expect(c.Image, c.Name).toBe(AWS_CLI_IMAGE);
    },
  );

  it('rejects a Fargate size that does not exist, naming the component and valid sizes, before writing', async () => {
    const text = spec(variants[1]!).replace('workers: { replicas: 2,', 'workers: { replicas: 2, cpu: 1, memory: 12Gi,');
    const b = await synthInTemp(ecsTarget, text, {}, undefined, { offline: true });
    expect(b.errors.map((d) => [d.code, d.message, d.hint])).toEqual([
      ['AFC3506', 'Fargate has no task size of 1 vCPU with 12Gi (worker)', 'nearest valid sizes: cpu: 2, memory: 12Gi; cpu: 1, memory: 8Gi'],
    ]);
    expect(b.result.ok).toBe(false);
  });

  it('builds a worker sized by its concurrency alone: afc picks a memory Fargate has', async () => {
    const text = spec(variants[1]!).replace('workers: { replicas: 2,', 'workers: { replicas: 2, concurrency: 4,');
    expect(text).toContain('concurrency: 4,');
    const b = await synthInTemp(ecsTarget, text, {}, undefined, { offline: true });
    expect(b.errors).toEqual([]);
    expect(b.result.ok).toBe(true);
  });

  it('says it ignores the password of the Redis that the Kubernetes targets run', async () => {
    const v = variants.find((x) => x.broker === 'managed' && x.tls)!;
    const text = spec(v).replace('broker: { managed: {} }', 'broker: { managed: { password: { ssm: /ecs/redis_password } } }');
    expect(text).toContain('/ecs/redis_password');
    const b = await synthInTemp(ecsTarget, text, {}, undefined, { offline: true });
    expect(b.errors).toEqual([]);
    expect(b.result.problems.filter((d) => d.code === 'AFC3510').map((d) => `${d.severity} ${d.line}`)).toEqual([
      `warning ${text.split('\n').findIndex((l) => l.includes('/ecs/redis_password')) + 1}`,
    ]);
    expect(b.read('stack.yaml')).not.toContain('redis_password');
  });

  it('puts the load balancer inside the VPC when only private ranges may reach the UI', async () => {
    const v = variants.find((x) => x.tls)!;
    const stack = async (text: string) => {
      const b = await synthInTemp(ecsTarget, text, {}, undefined, { offline: true });
      expect(b.errors).toEqual([]);
      return parseTemplate(b.read('stack.yaml')) as unknown as Template & { Parameters: Record<string, unknown> };
    };
    const ingress = (t: Template) => (t.Resources.LoadBalancerSecurityGroup!.Properties.SecurityGroupIngress as { CidrIp: unknown }[]).map((r) => r.CidrIp);
    const vpn = parseTemplate(built.get(v)!.text) as unknown as Template & { Parameters: Record<string, unknown> };
    expect(vpn.Resources.LoadBalancer!.Properties.Scheme).toBe('internal');
    expect(new Set(ingress(vpn))).toEqual(new Set(['10.0.0.0/8']));
    const open = await stack(spec(v).replace('allowedCidrs: [10.0.0.0/8]', 'allowedCidrs: [0.0.0.0/0]'));
    expect(open.Resources.LoadBalancer!.Properties.Scheme).toBe('internet-facing');
    // No range at all: internal, open to the InternalCidr parameter (the VPC's range).
    const none = await stack(spec(v).replace('  allowedCidrs: [10.0.0.0/8]\n', ''));
    expect(none.Resources.LoadBalancer!.Properties.Scheme).toBe('internal');
    expect(none.Parameters.InternalCidr).toBeDefined();
    expect(new Set(ingress(none).map((c) => JSON.stringify(c)))).toEqual(new Set([JSON.stringify({ Ref: 'InternalCidr' })]));
    expect(vpn.Parameters.InternalCidr).toBeUndefined();
  });

  it.each(variants.filter((v) => v.executor === 'CeleryExecutor' && v.dags === 'image' && v.tls))(
    "lets the UI read running tasks' logs, and checks workers as the Helm chart does (Airflow $version, $database database, broker $broker)",
    (v) => {
      const template = parseTemplate(built.get(v)!.text) as unknown as Template;
      const airflow = containersOf(template).filter((c) => c.Essential && JSON.stringify(c.Image).includes('apache/airflow'));
      for (const c of airflow)
        expect(c.Environment, c.Name).toContainEqual({ Name: 'AIRFLOW__CORE__HOSTNAME_CALLABLE', Value: 'airflow.utils.net.get_host_ip_address' });
      const selfIngress = Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress')
        .map((r) => r.Properties)
        .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(p.SourceSecurityGroupId));
      expect(selfIngress.map((p) => [p.FromPort, p.ToPort])).toEqual(
        expect.arrayContaining([
          [8793, 8793],
          [8794, 8794],
        ]),
      );
      const health = airflow.find((c) => c.Name === 'worker')!.HealthCheck!;
      expect(health.Command).toEqual(['CMD-SHELL', 'celery --app airflow.providers.celery.executors.celery_executor.app inspect ping -d "celery@$(hostname)"']);
      expect(health.Timeout).toBe(20);
      expect(health.Interval).toBeGreaterThan(health.Timeout);
    },
  );

  it.each(['2.10.5', '3.1.3'] as const)('tells the UI of Airflow %s to listen on components.webserver.port, where its checks look', async (version) => {
    const v = variants.find((x) => x.version === version)!;
    const b = await synthInTemp(ecsTarget, `${spec(v)}components:\n  webserver: { port: 9090 }\n`, {}, undefined, { offline: true });
    expect(b.errors).toEqual([]);
    const web = containersOf(parseTemplate(b.read('stack.yaml')) as unknown as Template).find((c) => c.HealthCheck?.Command[1]?.includes('localhost:9090'));
    expect(web).toBeDefined();
    const port = version.startsWith('3') ? 'AIRFLOW__API__PORT' : 'AIRFLOW__WEBSERVER__WEB_SERVER_PORT';
    expect(web!.Environment).toContainEqual({ Name: port, Value: '9090' });
    // ECS replaces a task whose container check fails: it asks the version, which needs no database;
    // the load balancer, which only stops sending traffic, asks the full health check.
    const [alive, health] = version.startsWith('3') ? ['/api/v2/version', '/api/v2/monitor/health'] : ['/api/v1/version', '/health'];
    expect(web!.HealthCheck!.Command.join(' ')).toContain(`http://localhost:9090${alive}`);
    const template = parseTemplate(b.read('stack.yaml')) as unknown as Template;
    const groups = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(groups.map((g) => g.Properties.HealthCheckPath)).toEqual([health]);
  });

  it.each(variants.filter((v) => v.tls))(
    'gives each service a task role with what it does (Airflow $version, $executor, DAGs $dags, $database database)',
    (v) => {
      const template = parseTemplate(built.get(v)!.text) as unknown as Template & { Resources: Record<string, { DependsOn?: string[] }> };
      const r = template.Resources;
      const definitions = Object.entries(r).filter(([, x]) => x.Type === 'AWS::ECS::TaskDefinition');
      const services = Object.entries(r).filter(([, x]) => x.Type === 'AWS::ECS::Service');
      const grants = new Map<string, { actions: string[]; resource: string }[]>();
      for (const [id, definition] of definitions) {
        const role = (definition.Properties.TaskRoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;
        expect(role, id).toBe(id.replace(/TaskDefinition$/, 'TaskRole'));
        const statements = (
          (r[role]!.Properties.Policies ?? []) as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } }[]
        ).flatMap((p) => p.PolicyDocument.Statement);
        grants.set(
          String(definition.Properties.Family).replace(/^ecs-/, ''),
          statements.map((st) => ({ actions: [st.Action].flat(), resource: JSON.stringify(st.Resource) })),
        );
      }
      const may = (component: string, action: string, resource: string) =>
        (grants.get(component) ?? []).some((g) => g.actions.includes(action) && g.resource.includes(resource));
      const web = v.version.startsWith('3') ? 'api-server' : 'webserver';
      // Remote logs: written where tasks and triggers run, only read by the UI.
      const writers = ['triggerer', ...(v.executor === 'CeleryExecutor' ? ['worker'] : ['scheduler'])];
      for (const component of grants.keys()) {
        expect(may(component, 's3:PutObject', 'acme-logs/ecs/*'), component).toBe(writers.includes(component));
        expect(may(component, 's3:GetObject', 'acme-logs/ecs/*'), component).toBe(writers.includes(component) || component === web);
        // The DAG prefix: the copy loop's role only (the sync service, or every task with its sidecar).
        expect(may(component, 's3:GetObject', 'acme-dags/dags/*'), component).toBe(v.dags === 'sidecar' || (v.dags === 'efs' && component === 'dag-sync'));
      }
      expect(grants.has('dag-sync')).toBe(v.dags === 'efs');
      // ECS Exec's channels exactly where the service enables it.
      for (const [id, service] of services) {
        const family = String(r[id.replace(/Service$/, 'TaskDefinition')]!.Properties.Family).replace(/^ecs-/, '');
        expect(may(family, 'ssmmessages:OpenDataChannel', '*'), family).toBe(service.Properties.EnableExecuteCommand);
        // A service whose tasks mount the DAG file system waits for its mount targets, or its first tasks fail to start.
        const mountsEfs = JSON.stringify(r[id.replace(/Service$/, 'TaskDefinition')]!.Properties.Volumes ?? []).includes('EFSVolumeConfiguration');
        expect(mountsEfs, id).toBe(v.dags === 'efs');
        if (mountsEfs) expect(r[id]!.DependsOn, id).toEqual(expect.arrayContaining(['DagsMountTarget1', 'DagsMountTarget2']));
      }
      expect(
        Object.keys(r)
          .filter((id) => r[id]!.Type === 'AWS::IAM::Role')
          .sort(),
      ).toEqual(['TaskExecutionRole', ...definitions.map(([id]) => id.replace(/TaskDefinition$/, 'TaskRole'))].sort());
    },
  );

  it.each(variants.filter((v) => v.tls && v.dags !== 'sidecar'))(
    'scales workers on queued and running tasks per worker, and guards busy workers from scale-in ($executor, Airflow $version, DAGs $dags, $database database)',
    (v) => {
      const template = parseTemplate(built.get(v)!.text) as unknown as Template;
      const r = template.Resources;
      type Sidecar = ContainerDef & { Command: string[]; DependsOn?: { ContainerName: string; Condition: string }[]; MountPoints: unknown[] };
      const containers = (id: string) => (r[id]?.Properties.ContainerDefinitions ?? []) as Sidecar[];
      const publisher = containers('SchedulerTaskDefinition').find((c) => c.Name === 'scaling-metric');
      const guard = containers('WorkerTaskDefinition').find((c) => c.Name === 'scale-in-protection');
      const schedulerGrants = JSON.stringify(r.SchedulerTaskRole!.Properties.Policies);
      const anyPut = Object.values(r).filter((x) => x.Type === 'AWS::IAM::Role' && JSON.stringify(x.Properties).includes('cloudwatch:PutMetricData'));
      if (v.executor !== 'CeleryExecutor') {
        expect(publisher).toBeUndefined();
        expect(anyPut).toEqual([]);
        expect(r.WorkerScalingPolicy).toBeUndefined();
        return;
      }
      // The scheduler's task publishes the demand into the deployment's own namespace, which only its role may write to.
      const env = (c: Sidecar) => Object.fromEntries((c.Environment ?? []).map((e) => [e.Name, e.Value]));
      expect(publisher).toBeDefined();
      expect(publisher!.Essential).toBe(false);
      expect(publisher!.DependsOn).toEqual([{ ContainerName: 'migrate', Condition: 'SUCCESS' }]);
      expect(env(publisher!)).toMatchObject({
        AFC_METRIC_NAMESPACE: 'Airflow/ecs',
        AFC_METRIC_NAME: 'QueuedOrRunningTasks',
        AFC_WORKER_QUEUES: 'default,heavy',
      });
      expect(publisher!.Command.slice(0, 2)).toEqual(['python', '-c']);
      expect(publisher!.Command[2]).toContain('put_metric_data');
      expect(schedulerGrants).toContain('"cloudwatch:PutMetricData"');
      expect(schedulerGrants).toContain('{"StringEquals":{"cloudwatch:namespace":"Airflow/ecs"}}');
      expect(anyPut).toHaveLength(1);
      // Target tracking on tasks per running worker, at the worker concurrency.
      const policy = r.WorkerScalingPolicy!.Properties.TargetTrackingScalingPolicyConfiguration as {
        TargetValue: number;
        PredefinedMetricSpecification?: unknown;
        CustomizedMetricSpecification: {
          Metrics: { Id: string; Expression?: string; ReturnData: boolean; MetricStat?: { Metric: Record<string, unknown> } }[];
        };
      };
      expect(policy.PredefinedMetricSpecification).toBeUndefined();
      // The worker concurrency the workers run with.
      const worker = containers('WorkerTaskDefinition').find((c) => c.Name === 'worker')!;
      expect(String(policy.TargetValue)).toBe(env(worker).AIRFLOW__CELERY__WORKER_CONCURRENCY);
      const metrics = policy.CustomizedMetricSpecification.Metrics;
      expect(metrics.filter((m) => m.ReturnData).map((m) => m.Expression)).toEqual(['tasks / workers']);
      expect(metrics.find((m) => m.Id === 'tasks')!.MetricStat!.Metric).toEqual({ Namespace: 'Airflow/ecs', MetricName: 'QueuedOrRunningTasks' });
      expect(metrics.find((m) => m.Id === 'workers')!.MetricStat!.Metric).toEqual({
        Namespace: 'ECS/ContainerInsights',
        MetricName: 'RunningTaskCount',
        Dimensions: [
          { Name: 'ClusterName', Value: { Ref: 'Cluster' } },
          { Name: 'ServiceName', Value: { 'Fn::GetAtt': ['WorkerService', 'Name'] } },
        ],
      });
      expect(JSON.stringify(r.Cluster!.Properties.ClusterSettings)).toContain('containerInsights');
      // Each worker task guards itself through the ECS agent, beside the worker, which it must not take down.
      expect(guard).toBeDefined();
      expect(guard!.Essential).toBe(false);
      expect(guard!.DependsOn).toEqual([{ ContainerName: 'wait-for-migrations', Condition: 'SUCCESS' }]);
      expect(guard!.Command[2]).toContain("os.environ['ECS_AGENT_URI'] + '/task-protection/v1/state'");
      expect(guard!.Command[2]).toContain("'celery@' + socket.gethostname()");
      expect(Number(env(guard!).AFC_PROTECTION_MINUTES)).toBeGreaterThanOrEqual(1);
      expect(Number(env(guard!).AFC_PROTECTION_MINUTES)).toBeLessThanOrEqual(2880);
    },
  );

  it('parses both helper scripts as Python', () => {
    const v = variants.find((x) => x.executor === 'CeleryExecutor')!;
    const scripts = containersOf(parseTemplate(built.get(v)!.text) as unknown as Template)
      .filter((c) => c.Name === 'scaling-metric' || c.Name === 'scale-in-protection')
      .map((c) => (c as ContainerDef & { Command: string[] }).Command[2]!);
    expect(scripts).toHaveLength(2);
    for (const script of scripts) {
      const parsed = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: script, encoding: 'utf8' });
      expect(parsed.status, parsed.stderr).toBe(0);
    }
  });

  it('keeps at least one worker, and says so, when autoscaling.min is 0', async () => {
    const v = variants.find((x) => x.executor === 'CeleryExecutor')!;
    const b = await synthInTemp(ecsTarget, spec(v).replace('autoscaling: { min: 1, max: 6 }', 'autoscaling: { min: 0, max: 6 }'), {}, undefined, {
      offline: true,
    });
    expect(b.errors).toEqual([]);
    expect(b.result.problems.map((d) => d.code)).toContain('AFC3511');
    const template = parseTemplate(b.read('stack.yaml')) as unknown as Template;
    expect(template.Resources.WorkerScalableTarget!.Properties.MinCapacity).toBe(1);
  });

  it('adds no scaling helper to workers without autoscaling', async () => {
    const v = variants.find((x) => x.executor === 'CeleryExecutor')!;
    const b = await synthInTemp(ecsTarget, spec(v).replace(' autoscaling: { min: 1, max: 6 },', ''), {}, undefined, { offline: true });
    expect(b.errors).toEqual([]);
    const text = b.read('stack.yaml');
    for (const absent of ['scaling-metric', 'scale-in-protection', 'cloudwatch:PutMetricData', 'ScalingPolicy']) expect(text).not.toContain(absent);
  });

  it('builds the same bytes twice', async () => {
    const again = await synthInTemp(ecsTarget, spec(variants[5]!), {}, undefined, { offline: true });
    expect(again.read('stack.yaml')).toBe(built.get(variants[5]!)!.text);
  });
});

/**
 * moto 5.2 cannot create AWS::ServiceDiscovery resources from a template: the
 * smoke test leaves out those two (and the api-server's registry entry that
 * points at them) and creates everything else as written.
 */
function forMoto(text: string): string {
  const template = parseTemplate(text) as unknown as Template;
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type.startsWith('AWS::ServiceDiscovery::')) delete template.Resources[id];
    if (resource.Type === 'AWS::ECS::Service') delete resource.Properties.ServiceRegistries;
  }
  return JSON.stringify(template);
}

describe.skipIf(!hasMoto)(`ecs against moto_server${hasMoto ? '' : ` (skipped: ${skipReason('moto_server')})`}`, () => {
  const values = Object.fromEntries(
    ['fernet_key', 'api_secret_key', 'jwt_secret', 'admin_password', 'db_password', 'broker_url', 'conn/warehouse'].map((n) => [
      n,
      `secret-${n.replace('/', '-')}-0123456789abcdef`,
    ]),
  );
  useMoto(() => putSecureStrings(Object.fromEntries(Object.entries(values).map(([n, v]) => [`/ecs/${n}`, v]))));

  it('checks the parameters exist, and no value reaches the template', async () => {
    const b = await buildInTemp(
      ecsTarget,
      spec({ version: '3.1.3', executor: 'CeleryExecutor', database: 'managed', broker: 'external', dags: 'efs', tls: true }),
    );
    expect(b.errors).toEqual([]);
    expect(b.result.ssm?.calls.GetParameters).toBe(1);
    for (const value of Object.values(values)) expect(b.read('stack.yaml')).not.toContain(value);
    const missing = await synthInTemp(
      ecsTarget,
      spec({ version: '3.1.3', executor: 'LocalExecutor', database: 'managed', broker: 'none', dags: 'image', tls: true }).replace(
        '/ecs/fernet_key',
        '/ecs/nope',
      ),
    );
    expect(missing.errors.map((d) => d.code)).toEqual(['AFC4005']);
  });

  it('creates the stack (CreateStack) in a VPC that exists', async () => {
    const cfn = new CloudFormationClient({});
    const networkTemplate = {
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        ...Object.fromEntries(
          [1, 2, 3, 4].map((i) => [
            `Subnet${i}`,
            {
              Type: 'AWS::EC2::Subnet',
              Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: i % 2 ? 'eu-west-1a' : 'eu-west-1b' },
            },
          ]),
        ),
      },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'network', TemplateBody: JSON.stringify(networkTemplate) }));
    const physical = Object.fromEntries(
      ((await cfn.send(new ListStackResourcesCommand({ StackName: 'network' }))).StackResourceSummaries ?? []).map((r) => [
        r.LogicalResourceId,
        r.PhysicalResourceId!,
      ]),
    );
    const network = { vpc: physical.Vpc!, subnets: [physical.Subnet1!, physical.Subnet2!], publicSubnets: [physical.Subnet3!, physical.Subnet4!] };
    // moto's !Sub cannot resolve a nested attribute (${Database.Endpoint.Address}; CloudFormation can):
    // the smoke test uses an external database and broker, on both Airflow versions and executors.
    const smoke = [
      variants.find((v) => v.database === 'external' && v.broker === 'none' && v.version === '2.10.5')!,
      variants.find((v) => v.database === 'external' && v.broker === 'external' && v.version === '3.1.3' && v.dags !== 'image')!,
    ];
    for (const v of smoke) {
      const dir = mkdtempSync(join(tmpdir(), 'afc-ecs-moto-'));
      mkdirSync(join(dir, 'out'));
      // Names are per account and region (target groups, load balancers): one deployment name per stack.
      writeFileSync(join(dir, 'airflow.yaml'), spec(v, network).replace('name: ecs\n', `name: ecs${smoke.indexOf(v)}\n`));
      const result = await buildOutput({ file: join(dir, 'airflow.yaml'), target: ecsTarget, outDir: join(dir, 'out') });
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      assert(result.ok);
      writeOutput(join(dir, 'out'), result.files);
      const stackName = `afc-${variants.indexOf(v)}`;
      await cfn.send(
        new CreateStackCommand({
          StackName: stackName,
          TemplateBody: forMoto(readFileSync(join(dir, 'out', 'stack.yaml'), 'utf8')),
          Capabilities: ['CAPABILITY_IAM'],
        }),
      );
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0]!;
      expect(stack.StackStatus, stack.StackStatusReason).toBe('CREATE_COMPLETE');
      const resources = (await cfn.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ?? [];
      expect(resources.map((r) => r.LogicalResourceId)).toEqual(expect.arrayContaining(['Cluster', 'SchedulerService', 'LoadBalancer', 'TaskExecutionRole']));
    }
    cfn.destroy();
  });
});
