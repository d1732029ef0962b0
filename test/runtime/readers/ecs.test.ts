import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../support/cloudformation.ts';
import { decide } from './ecs/iam.ts';
import { evaluateIntrinsics, NO_VALUE, type IntrinsicScope } from './ecs/intrinsics.ts';
import { readLoadBalancing } from './ecs/load-balancer.ts';
import { readServices } from './ecs/services.ts';
import { Stack } from './ecs/stack.ts';

const PLACE = { stackName: 'data-platform', region: 'eu-west-1', accountId: '123456789012', partition: 'aws', urlSuffix: 'amazonaws.com' };
const EXAMPLE = new URL('../../../out/ecs-celery/ecs/stack.yaml', import.meta.url);
const PARAMETERS = ['db_password', 'fernet_key', 'api_secret_key', 'jwt_secret', 'admin_password', 'conn/warehouse', 'conn/slack_alerts'].map(
  (n) => `/data-platform/${n}`,
);
const SSM = new Map(PARAMETERS.map((name) => [name, `value of ${name}`]));

function example(edit: (template: Template) => void = () => undefined): Stack {
  const template = JSON.parse(JSON.stringify(parseTemplate(readFileSync(EXAMPLE, 'utf8')))) as Template;
  edit(template);
  return new Stack(template, PLACE, SSM);
}

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

describe('ecs reader: intrinsic functions', () => {
  const scope: IntrinsicScope = {
    ref: (name) => ({ Tag: '3.1', 'AWS::Region': 'eu-west-1', Subnets: ['a', 'b'] })[name] ?? `ref:${name}`,
    getAtt: (resource, attribute) => `${resource}/${attribute}`,
    condition: (name) => name === 'Yes',
    mapping: (name, top, second) => `${name}.${top}.${second}`,
  };
  const evaluate = (value: unknown) => evaluateIntrinsics(value, scope, 'test');

  it('substitutes references, attributes, variables and escapes', () => {
    expect(evaluate({ 'Fn::Sub': 'img:${Tag} in ${AWS::Region} at ${Db.Endpoint.Address} ${!Literal}' })).toBe(
      'img:3.1 in eu-west-1 at Db/Endpoint.Address ${Literal}',
    );
    expect(evaluate({ 'Fn::Sub': ['${A}-${Tag}', { A: { Ref: 'Thing' } }] })).toBe('ref:Thing-3.1');
  });

  it('joins, selects, splits, encodes and maps', () => {
    expect(evaluate({ 'Fn::Join': ['/', ['service', { Ref: 'Cluster' }, 'x']] })).toBe('service/ref:Cluster/x');
    expect(evaluate({ 'Fn::Select': ['1', { Ref: 'Subnets' }] })).toBe('b');
    expect(evaluate({ 'Fn::Split': [',', 'a,b,,c'] })).toEqual(['a', 'b', '', 'c']);
    expect(evaluate({ 'Fn::Base64': 'hi' })).toBe('aGk=');
    expect(evaluate({ 'Fn::FindInMap': ['M', 'k', { Ref: 'Tag' }] })).toBe('M.k.3.1');
  });

  it('chooses with conditions and leaves AWS::NoValue out', () => {
    expect(
      evaluate({
        a: { 'Fn::If': ['Yes', 1, 2] },
        b: { 'Fn::If': ['No', 1, { Ref: 'AWS::NoValue' }] },
        c: [1, { 'Fn::If': ['No', 2, { Ref: 'AWS::NoValue' }] }],
      }),
    ).toEqual({ a: 1, c: [1] });
    expect(evaluate({ 'Fn::Equals': [{ Ref: 'Tag' }, '3.1'] })).toBe(true);
    expect(evaluate({ 'Fn::And': [{ Condition: 'Yes' }, { 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] }] })).toBe(true);
    expect(evaluate({ 'Fn::Or': [{ Condition: 'No' }, { Condition: 'No' }] })).toBe(false);
    expect(evaluate({ Ref: 'AWS::NoValue' })).toBe(NO_VALUE);
  });

  it('refuses what it does not evaluate', () => {
    expect(() => evaluate({ 'Fn::GetAZs': '' })).toThrow(/does not evaluate Fn::GetAZs/);
  });
});

describe('ecs reader: IAM', () => {
  const policies = [
    {
      source: 'p',
      statements: [
        { Effect: 'Allow', Action: 'ssm:Get*', Resource: 'arn:aws:ssm:*:123456789012:parameter/app/*' },
        { Effect: 'Deny', Action: 'ssm:GetParameters', Resource: 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/secret' },
      ],
    },
  ];

  it('allows by wildcard, segment by segment, and lets an explicit Deny win', () => {
    expect(decide(policies, 'SSM:GetParameters', 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/key').allowed).toBe(true);
    expect(decide(policies, 'ssm:GetParameters', 'arn:aws:ssm:eu-west-1:210987654321:parameter/app/key').allowed).toBe(false);
    expect(decide(policies, 'ssm:GetParameters', 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/secret')).toEqual({ allowed: false, by: 'p, statement 1' });
    expect(decide(policies, 's3:GetObject', 'arn:aws:s3:::bucket/key').allowed).toBe(false);
  });
});

describe('ecs reader: the ecs-celery example', () => {
  it('runs each service’s desired count of tasks, with Cloud Map names and the load balancer in front of the api-server', () => {
    const stack = example();
    const services = readServices(stack, SSM);
    const tasks = Object.fromEntries(services.map((s) => [s.name, s.pods.map((p) => p.name)]));
    // The workers' service has no DesiredCount (1 on creation); their scalable target's minimum makes it 2.
    expect(tasks).toMatchObject({
      'data-platform-api-server': ['data-platform-api-server-1', 'data-platform-api-server-2'],
      'data-platform-worker': ['data-platform-worker-1', 'data-platform-worker-2'],
      'data-platform-scheduler': ['data-platform-scheduler-1'],
    });
    const api = services.find((s) => s.name === 'data-platform-api-server')!.pods[0]!;
    expect(api.names).toEqual(['api-server.data-platform.airflow.internal']);
    expect(api.addressHostname?.('10.0.1.5')).toBe('ip-10-0-1-5.eu-west-1.compute.internal');
    const server = api.containers.find((c) => c.name === 'api-server')!;
    expect(server.env.AIRFLOW__API__SECRET_KEY).toBe('value of /data-platform/api_secret_key');
    expect(server.env.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD).toMatch(/@data-platform-db\.[0-9a-f]{12}\.eu-west-1\.rds\.amazonaws\.com:5432\/airflow/);
    expect(server.dependsOn).toEqual([{ container: 'wait-for-migrations', condition: 'SUCCESS' }]);
    expect(server.mounts).toEqual([{ volume: expect.stringMatching(/^efs-fs-[0-9a-f]{17}_dags$/), target: '/opt/airflow/dags', readOnly: true }]);
    // The ECS agent gives every container its endpoint for its own task: each worker protects itself.
    const guards = services.find((s) => s.name === 'data-platform-worker')!.pods.map((p) => p.containers.find((c) => c.name === 'scale-in-protection')!);
    expect(guards.map((c) => c.env.ECS_AGENT_URI)).toEqual([
      'http://169.254.170.2/api/data-platform-worker-1',
      'http://169.254.170.2/api/data-platform-worker-2',
    ]);
    const { ui, platformChecks } = readLoadBalancing(stack, services);
    expect(ui).toEqual({ pod: 'data-platform-api-server-1', port: 8080 });
    expect(platformChecks.map((c) => `${c.pod}:${c.port}${c.path}`)).toEqual([
      'data-platform-api-server-1:8080/api/v2/monitor/health',
      'data-platform-api-server-2:8080/api/v2/monitor/health',
    ]);
  });

  it('composes the database URL in the container, as Airflow runs a _CMD option: its exact output, no line break', () => {
    const server = readServices(example(), SSM)[0]!.pods[0]!.containers.find((c) => c.essential)!;
    // airflow.configuration.run_command: shlex.split, then stdout as it is.
    const runCommand =
      'import shlex, subprocess, sys; sys.stdout.write(subprocess.run(shlex.split(sys.argv[1]), capture_output=True, text=True, check=True).stdout)';
    const result = spawnSync('python3', ['-c', runCommand, server.env.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD!], {
      encoding: 'utf8',
      env: { ...process.env, AFC_SECRET_DB_PASSWORD: 'p@ss word/é' },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /^postgresql\+psycopg2:\/\/airflow:p%40ss%20word%2F%C3%A9@data-platform-db\.[0-9a-f]{12}\.eu-west-1\.rds\.amazonaws\.com:5432\/airflow$/,
    );
  });

  it('refuses a secret the execution role may not read, as the ECS agent does', () => {
    const stack = example((template) => {
      const role = template.Resources.TaskExecutionRole!.Properties as { Policies: { PolicyDocument: { Statement: { Resource: unknown }[] } }[] };
      const statement = role.Policies[0]!.PolicyDocument.Statement[0]!;
      statement.Resource = (statement.Resource as { 'Fn::Sub': string }[]).filter((r) => !r['Fn::Sub'].endsWith('/jwt_secret'));
    });
    expect(() => readServices(stack, SSM)).toThrow(
      /secret AIRFLOW__API_AUTH__JWT_SECRET .*AccessDenied: arn:aws:iam::123456789012:role\/data-platform-TaskExecutionRole-[0-9A-F]{12} is not authorized to perform ssm:GetParameters on arn:aws:ssm:eu-west-1:123456789012:parameter\/data-platform\/jwt_secret/,
    );
  });

  it('refuses a service whose tasks may start before the EFS mount targets exist', () => {
    const stack = example((template) => delete (template.Resources.DagSyncService as { DependsOn?: string[] }).DependsOn);
    expect(() => readServices(stack, SSM)).toThrow(
      /Resources\.DagSyncService: ECS may start its tasks before DagsMountTarget1 .* the service neither refers to it nor names it in DependsOn/,
    );
  });

  it('refuses a secret that is not in Parameter Store, and resolves dynamic references from it', () => {
    const missing = new Map(SSM);
    missing.delete('/data-platform/conn/warehouse');
    expect(() => readServices(example(), missing)).toThrow(
      /AIRFLOW_CONN_WAREHOUSE: ResourceInitializationError: the SSM parameter \/data-platform\/conn\/warehouse does not exist/,
    );
    expect(example().property('Database', 'MasterUserPassword')).toBe('value of /data-platform/db_password');
  });
});
