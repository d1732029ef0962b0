import { spawnSync } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSsm } from '../../compiler/secrets/ssm.ts';
import type { Target } from '../../compiler/targets/target.ts';
import { composeTarget } from '../../targets/compose/index.ts';
import { buildInTemp } from '../support/build.ts';
import { AFC_BIN } from '../support/cli.ts';
import { parametersAnswer, startFakeSsm } from '../support/fake-ssm.ts';
import { freePort, putSecureStrings, useMoto } from '../support/moto.ts';
import { haveTool, skipReason } from '../support/tools.ts';

const hasMoto = haveTool('moto_server', ['--help']);

/** 25 distinct SecureString parameters, used across secrets, env, config, connections and variables. */
const names = Array.from({ length: 25 }, (_, i) => `/t25/p${String(i).padStart(2, '0')}`);
const valueFor = (name: string) => `value-of-${name.replace(/\//g, '_')}-0123456789`;

function spec25(): string {
  const [fernet, api, jwt, admin, ...rest] = names;
  const env = rest
    .slice(0, 7)
    .map((n, i) => `    E${i}: { ssm: ${n} }`)
    .join('\n');
  const connections = rest
    .slice(7, 14)
    .map((n, i) => `  c${i}: { ssm: ${n} }`)
    .join('\n');
  const variables = rest
    .slice(14)
    .map((n, i) => `  v${i}: { ssm: ${n} }`)
    .join('\n');
  return `apiVersion: afc/v1
name: ssm25
airflow:
  version: "3.1.3"
  env:
${env}
secrets:
  fernetKey: { ssm: ${fernet} }
  apiSecretKey: { ssm: ${api} }
  jwtSecret: { ssm: ${jwt} }
  adminUser: { email: ops@acme.io, password: { ssm: ${admin} } }
connections:
${connections}
variables:
${variables}
`;
}

/** The api-server's env file: it gets every kind of secret but the admin and database passwords. */
const API_SERVER_ENV = 'secrets/airflow-apiserver.env';

/** Every env file of a compose output, concatenated. */
function envFiles(built: { outDir: string; read: (path: string) => string }): string {
  return ['.env', ...readdirSync(join(built.outDir, 'secrets')).map((f) => `secrets/${f}`)].map((f) => built.read(f)).join('');
}

describe.skipIf(!hasMoto)(`SSM against moto_server${hasMoto ? '' : ` (skipped: ${skipReason('moto_server')})`}`, () => {
  const moto = useMoto(() =>
    putSecureStrings({
      ...Object.fromEntries(names.map((n) => [n, valueFor(n)])),
      ...Object.fromEntries(Array.from({ length: 23 }, (_, i) => [`/bulk/conns/conn_${String(i).padStart(2, '0')}`, `postgres://u:bulk-secret-${i}@db/${i}`])),
      '/bulk/conns/nested/deeper_conn': 'http://deeper-secret-value@h',
      '/multi/line': 'first-line-secret\nsecond-line-secret\n',
    }),
  );

  it('resolves 25 references in 3 GetParameters calls, with values only in 0600 files', async () => {
    const built = await buildInTemp(composeTarget, spec25());
    expect(built.errors).toEqual([]);
    expect(built.result.ssm).toMatchObject({ calls: { GetParameters: 3, GetParametersByPath: 0 }, region: 'eu-west-1', endpoint: moto.endpoint() });
    const env = envFiles(built);
    for (const n of names) expect(env).toContain(valueFor(n));
    for (const file of readdirSync(join(built.outDir, 'secrets'))) expect(statSync(join(built.outDir, 'secrets', file)).mode & 0o777, file).toBe(0o600);
    for (const file of ['docker-compose.yaml', '.gitignore', '.afc-manifest']) {
      for (const n of names) expect(built.read(file)).not.toContain(valueFor(n));
    }
  });

  it('lists every missing parameter in one diagnostic, with where each is used', async () => {
    const text = spec25().replace(names[0]!, '/t25/missing-a').replace(`v0: { ssm: ${names[18]} }`, 'v0: { ssm: /t25/missing-b }');
    const built = await buildInTemp(composeTarget, text);
    expect(built.errors.map((d) => [d.code, d.line, d.message])).toEqual([
      ['AFC4005', 14, 'SSM parameters not found in region eu-west-1: /t25/missing-a (secrets.fernetKey at line 14); /t25/missing-b (variables.v0 at line 27)'],
    ]);
    expect(built.result.ok).toBe(false);
  });

  it('reports a value .env cannot carry at the spec line that uses it, without the value or a stack trace', async () => {
    const text = spec25().replace('    E0: {', '    MULTI: { ssm: /multi/line }\n    E0: {');
    const built = await buildInTemp(composeTarget, text);
    expect(built.errors.map((d) => [d.code, d.line, d.message])).toEqual([
      ['AFC4011', 6, 'SSM parameter /multi/line holds a line break, which an env file cannot carry'],
    ]);
    expect(JSON.stringify(built.result.diagnostics)).not.toContain('line-secret');
    expect(built.result.ok).toBe(false);
  });

  it('reads every parameter under a path, following NextToken across pages', async () => {
    const text = `apiVersion: afc/v1\nname: bulk\nairflow:\n  version: "3.1.3"\nsecrets:\n  fernetKey: { ssm: ${names[0]} }\n  apiSecretKey: { ssm: ${names[1]} }\n  jwtSecret: { ssm: ${names[2]} }\nconnections:\n  fromSsmPath: /bulk/conns/\n  aws_default: { uri: "aws://" }\n`;
    const built = await buildInTemp(composeTarget, text);
    expect(built.errors).toEqual([]);
    expect(built.result.ssm!.calls.GetParametersByPath).toBeGreaterThanOrEqual(3);
    const env = built.read(API_SERVER_ENV);
    expect(env.match(/^AIRFLOW_CONN_CONN_\d\d=/gm)).toHaveLength(23);
    expect(env).toContain('AIRFLOW_CONN_DEEPER_CONN=http://deeper-secret-value@h\n');
    expect(built.read('docker-compose.yaml')).toContain('AIRFLOW_CONN_AWS_DEFAULT: aws://\n');
  });

  it('fails the build when an SSM value would land in a reviewable file', async () => {
    const text = `${spec25()}  leaked: ${valueFor(names[0]!)}\n`;
    const built = await buildInTemp(composeTarget, text);
    expect(built.errors.map((d) => [d.code, d.message])).toEqual([['AFC4010', 'a secret value appears in docker-compose.yaml, which is not a secret file']]);
  });

  it('checks that referenced parameters exist for a target that only references them', async () => {
    const nomad = (await import('../fixtures/plugin-target.mjs')).default as Target;
    const ok = await buildInTemp(nomad, spec25());
    expect(ok.errors).toEqual([]);
    expect(ok.result.ssm?.calls.GetParameters).toBe(3);
    const missing = await buildInTemp(nomad, spec25().replace(names[3]!, '/t25/not-there'));
    expect(missing.errors.map((d) => d.code)).toEqual(['AFC4005']);
  });

  it('builds from the CLI with only AWS_ENDPOINT_URL_SSM set, no afc flag', async () => {
    const built = await buildInTemp(composeTarget, spec25(), {}, undefined, { offline: true });
    expect(built.errors.map((d) => d.code)).toEqual(['AFC4007']);
    const cli = spawnSync(process.execPath, [AFC_BIN, 'build', join(built.dir, 'airflow.yaml'), '--target', 'compose', '-o', join(built.dir, 'cli-out')], {
      encoding: 'utf8',
      env: process.env,
    });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/\(\d+ with secret values, mode 0600, git-ignored\)/);
  });
});

describe('SSM failures', () => {
  const env = { ...process.env };
  afterAll(() => {
    process.env = env;
  });

  it('builds a target that only references SSM parameters --offline, without asking SSM', async () => {
    const nomad = (await import('../fixtures/plugin-target.mjs')).default as Target;
    const open = () => Promise.reject(new Error('SSM must not be opened --offline'));
    const built = await buildInTemp(nomad, spec25(), {}, undefined, { offline: true, openSsm: open });
    expect(built.errors).toEqual([]);
    expect(built.result.ssm).toBeUndefined();
    expect(JSON.parse(built.read('airflow.nomad.json'))).toEqual({ job: 'ssm25', groups: ['api-server', 'scheduler', 'dag-processor', 'triggerer'] });
  });

  it('names region, endpoint and parameters when the endpoint is closed, within a bounded time', async () => {
    const port = await freePort();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${port}`,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
    const started = Date.now();
    const built = await buildInTemp(composeTarget, spec25());
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(built.errors.map((d) => d.code)).toEqual(['AFC4004']);
    expect(built.errors[0]!.message).toMatch(
      new RegExp(
        `^cannot read SSM parameters in region eu-west-1 at http://127\\.0\\.0\\.1:${port}: cannot connect \\(ECONNREFUSED\\) \\(parameters: /t25/p\\d\\d(, /t25/p\\d\\d)*( and \\d+ more)?\\)$`,
      ),
    );
  });

  it('says there are no credentials, without trying any address but the endpoint', async () => {
    const port = await freePort();
    for (const key of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
    ])
      delete process.env[key];
    // No instance metadata service either: the SDK must not look beyond this machine.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${port}`,
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    });
    const built = await buildInTemp(composeTarget, spec25());
    expect(built.errors.map((d) => d.code)).toEqual(['AFC4004']);
    expect(built.errors[0]!.message).toContain(`in region eu-west-1 at http://127.0.0.1:${port}: no AWS credentials were found`);
  });

  it('gives up on an endpoint that accepts and never answers, within its deadline', async () => {
    const stalled = createNetServer(() => {});
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', () => r()));
    const { port } = stalled.address() as { port: number };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${port}`,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
    const session = await openSsm({ deadlineMs: 1_500 });
    const started = Date.now();
    await expect(session.getParameters(['/stalled/a', '/stalled/b'], true)).rejects.toThrow(
      `cannot read SSM parameters in region eu-west-1 at http://127.0.0.1:${port}: the endpoint did not answer in time (parameters: /stalled/a, /stalled/b)`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    session.destroy();
    stalled.close();
  });

  it('reports access denied, and KMS refusing to decrypt, with the parameters', async () => {
    const answers = [
      { __type: 'AccessDeniedException', message: 'User arn:aws:iam::123456789012:user/ci is not authorized to perform: ssm:GetParameters' },
      { __type: 'AccessDeniedException', message: 'The ciphertext refers to a customer master key that does not exist, or KMS access was denied' },
    ];
    const ssm = await startFakeSsm(() => ({ status: 400, body: answers[0] }));
    const text = `apiVersion: afc/v1\nname: denied\nairflow:\n  version: "3.1.3"\nsecrets:\n  fernetKey: { ssm: ${names[0]} }\n  apiSecretKey: { ssm: ${names[1]} }\n  jwtSecret: { ssm: ${names[2]} }\n`;
    const denied = await buildInTemp(composeTarget, text);
    expect(denied.errors[0]!.message).toBe(
      `cannot read SSM parameters in region eu-west-1 at ${ssm.endpoint}: access denied: ${answers[0]!.message} (parameters: ${names.slice(0, 3).join(', ')})`,
    );
    answers.shift();
    const kms = await buildInTemp(composeTarget, text);
    await ssm.close();
    expect(kms.errors[0]!.message).toContain(': KMS refused to decrypt: The ciphertext refers to');
    expect(existsSync(kms.outDir)).toBe(false);
  });

  it('says the endpoint did not answer as SSM does when it answers something other than JSON, without the SDK internals', async () => {
    const ssm = await startFakeSsm(() => ({ status: 200, body: null, raw: '<html><body>Proxy login required</body></html>' }));
    const text = `apiVersion: afc/v1\nname: proxied\nairflow:\n  version: "3.1.3"\nsecrets:\n  fernetKey: { ssm: ${names[0]} }\n  apiSecretKey: { ssm: ${names[1]} }\n  jwtSecret: { ssm: ${names[2]} }\n`;
    const built = await buildInTemp(composeTarget, text);
    await ssm.close();
    expect(built.errors[0]!.message).toBe(
      `cannot read SSM parameters in region eu-west-1 at ${ssm.endpoint}: the endpoint answered HTTP 200 with something that is not an SSM answer (not JSON) (parameters: ${names.slice(0, 3).join(', ')})`,
    );
  });

  it('retries a throttled call and then succeeds', async () => {
    const ssm = await startFakeSsm((request, index) =>
      index === 0
        ? { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } }
        : { body: parametersAnswer(request.body.Names as string[], valueFor) },
    );
    const text = `apiVersion: afc/v1\nname: throttled\nairflow:\n  version: "3.1.3"\nsecrets:\n  fernetKey: { ssm: ${names[0]} }\n  apiSecretKey: { ssm: ${names[1]} }\n  jwtSecret: { ssm: ${names[2]} }\n`;
    const built = await buildInTemp(composeTarget, text);
    await ssm.close();
    expect(built.errors).toEqual([]);
    expect(ssm.requests).toHaveLength(2);
    expect(built.result.ssm?.calls.GetParameters).toBe(1);
    expect(built.read(API_SERVER_ENV)).toContain(`AIRFLOW__CORE__FERNET_KEY=${valueFor(names[0]!)}`);
  });

  it('asks for a name used three times once, as the requests on the wire show', async () => {
    const ssm = await startFakeSsm((request) => ({ body: parametersAnswer(request.body.Names as string[], valueFor) }));
    const shared = names[0]!;
    const text = `apiVersion: afc/v1\nname: shared\nairflow:\n  version: "3.1.3"\n  env: { A: { ssm: ${shared} } }\nsecrets:\n  fernetKey: { ssm: ${shared} }\n  apiSecretKey: { ssm: ${shared} }\n  jwtSecret: { ssm: ${names[1]} }\n`;
    const built = await buildInTemp(composeTarget, text);
    await ssm.close();
    expect(built.errors).toEqual([]);
    expect(ssm.requests.map((r) => [r.action, r.body.Names])).toEqual([['GetParameters', [shared, names[1]]]]);
  });

  it('follows NextToken through short and empty pages until it is absent', async () => {
    const pages = [
      { Parameters: [{ Name: '/pages/conns/a', Value: 'http://a-secret@h', ARN: 'arn:a' }], NextToken: 't1' },
      { Parameters: [], NextToken: 't2' },
      { Parameters: [], NextToken: 't3' },
      { Parameters: [{ Name: '/pages/conns/b', Value: 'http://b-secret@h', ARN: 'arn:b' }] },
    ];
    let page = 0;
    const ssm = await startFakeSsm((request) =>
      request.action === 'GetParametersByPath' ? { body: pages[page++] } : { body: parametersAnswer(request.body.Names as string[], valueFor) },
    );
    const text = `apiVersion: afc/v1\nname: pages\nairflow:\n  version: "3.1.3"\nsecrets:\n  fernetKey: { ssm: ${names[0]} }\n  apiSecretKey: { ssm: ${names[1]} }\n  jwtSecret: { ssm: ${names[2]} }\nconnections:\n  fromSsmPath: /pages/conns/\n`;
    const built = await buildInTemp(composeTarget, text);
    await ssm.close();
    expect(built.errors).toEqual([]);
    const listings = ssm.requests.filter((r) => r.action === 'GetParametersByPath');
    expect(listings.map((r) => r.body.NextToken ?? null)).toEqual([null, 't1', 't2', 't3']);
    expect(listings.every((r) => r.body.Recursive === true && r.body.WithDecryption === true)).toBe(true);
    expect(built.read(API_SERVER_ENV)).toContain('AIRFLOW_CONN_A=http://a-secret@h\nAIRFLOW_CONN_B=http://b-secret@h\n');
  });

  it('does not load the AWS SDK for validate, or for a build without ssm references', () => {
    // Reports every module the CLI loads whose path mentions the SDK.
    const probe = `const M = require('node:module'); const load = M._load; M._load = function (r, ...a) { if (/@aws-sdk/.test(r)) process.stderr.write('SDK LOADED\\n'); return load.call(this, r, ...a); }; process.argv.splice(1, 0, 'afc'); require(${JSON.stringify(AFC_BIN)});`;
    const run = (...args: string[]) => spawnSync(process.execPath, ['-e', probe, '--', ...args], { encoding: 'utf8', cwd: join(AFC_BIN, '../..') });
    expect(run('validate', 'examples/ecs-celery/airflow.yaml').stderr).not.toContain('SDK LOADED');
    expect(run('build', 'examples/local/airflow.yaml', '--target', 'compose', '--stdout').stderr).not.toContain('SDK LOADED');
    const withSsm = run('build', 'examples/ec2-host/airflow.yaml', '--target', 'compose', '--stdout');
    expect(withSsm.stderr).toContain('SDK LOADED');
  });
});
