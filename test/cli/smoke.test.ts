import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/moto.ts';
import { AFC_BIN, REPO } from '../support/cli.ts';
import { taskOutput } from '../../compiler/smoke/smoke.ts';
import { MINIMAL } from '../support/spec.ts';

const SPEC = 'examples/local/airflow.yaml';
const PASSWORD = readFileSync(`${REPO}/examples/local/secrets/admin_password`, 'utf8').trim();

/** Runs the built CLI without blocking this process, which serves the fake API. */
function afcSmoke(args: string[], spec = SPEC): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AFC_BIN, 'smoke', spec, '--target', 'compose', ...args], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (d: Buffer) => (text += d.toString()));
    request.on('end', () => resolve(text));
  });
}

/**
 * An Airflow 3 API as far as `afc smoke` uses it, with the FAB auth
 * manager's token endpoint: the run ends in `finalState` after one poll.
 */
function fakeAirflow(options: { password: string; finalState: 'success' | 'failed'; log?: unknown[]; prefix?: string }): Server {
  let polls = 0;
  return createServer(async (request, response) => {
    const json = (status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (!(request.url ?? '').startsWith(options.prefix ?? '')) return json(404, { detail: 'not under the prefix' });
    const url = (request.url ?? '').slice((options.prefix ?? '').length);
    if (url === '/api/v2/monitor/health')
      return json(200, {
        metadatabase: { status: 'healthy' },
        scheduler: { status: 'healthy' },
        triggerer: { status: null },
        dag_processor: { status: 'healthy' },
      });
    if (url === '/auth/token' && request.method === 'POST') {
      const { username, password } = JSON.parse(await body(request)) as { username: string; password: string };
      return username === 'admin' && password === options.password
        ? json(201, { access_token: 'token' })
        : json(401, { detail: `invalid credentials for ${username}: ${password}` });
    }
    if (request.headers.authorization !== 'Bearer token') return json(401, { detail: 'not logged in' });
    if (url === '/api/v2/dags/hello') return json(200, { dag_id: 'hello' });
    if (url === '/api/v2/dags/hello/dagRuns' && request.method === 'POST') return json(200, { dag_run_id: 'run 1', state: 'queued' });
    if (url === '/api/v2/dags/hello/dagRuns/run%201') return json(200, { dag_run_id: 'run 1', state: polls++ === 0 ? 'running' : options.finalState });
    if (url === '/api/v2/dags/hello/dagRuns/run%201/taskInstances')
      return json(200, { task_instances: [{ task_id: 'say_hello', state: options.finalState, try_number: 1, map_index: -1 }] });
    if (url.startsWith('/api/v2/dags/hello/dagRuns/run%201/taskInstances/say_hello/logs/1'))
      return json(200, {
        content: options.log ?? [
          { event: '::group::Log message source details' },
          { event: '/opt/airflow/logs/x.log' },
          { event: '::endgroup::' },
          { event: 'hello' },
          { event: 'done' },
        ],
      });
    return json(404, { detail: `no route ${request.method} ${url}` });
  });
}

/** An Airflow 2 API: `/api/v1` behind HTTP basic auth, the log as text/plain. */
function fakeAirflow2(password: string): Server {
  return createServer((request, response) => {
    const json = (status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const url = request.url ?? '';
    if (url === '/health') return json(200, { metadatabase: { status: 'healthy' }, scheduler: { status: 'healthy' }, triggerer: { status: null } });
    if (request.headers.authorization !== `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`) return json(401, { title: 'Unauthorized' });
    if (url === '/api/v1/dags?limit=1') return json(200, { dags: [] });
    if (url === '/api/v1/dags/hello') return json(200, { dag_id: 'hello' });
    if (url === '/api/v1/dags/hello/dagRuns' && request.method === 'POST') return json(200, { dag_run_id: 'r', state: 'queued' });
    if (url === '/api/v1/dags/hello/dagRuns/r') return json(200, { dag_run_id: 'r', state: 'success' });
    if (url === '/api/v1/dags/hello/dagRuns/r/taskInstances') {
      return json(200, {
        task_instances: [
          { task_id: 'say', state: 'success', try_number: 1, map_index: -1 },
          { task_id: 'branch_not_taken', state: 'skipped', try_number: 0, map_index: -1 },
        ],
      });
    }
    if (url === '/api/v1/dags/hello/dagRuns/r/taskInstances/say/logs/1?full_content=true' && request.headers.accept === 'text/plain') {
      return response
        .writeHead(200, { 'content-type': 'text/plain' })
        .end('*** Found local files:\n***   * /opt/airflow/logs/x.log\n[2026-11-30] INFO - hello\n');
    }
    return json(404, { detail: `no route ${request.method} ${url}` });
  });
}

describe('afc smoke', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(options: Parameters<typeof fakeAirflow>[0]): Promise<string> {
    const port = await freePort();
    server = fakeAirflow(options);
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${port}/`;
  }

  it('prints one line per check and exits 0 when the deployment runs a DAG', async () => {
    const url = await serve({ password: PASSWORD, finalState: 'success' });
    const result = await afcSmoke(['--url', url, '--dag', 'hello', '--timeout', '30']);
    expect(result.stderr).toBe('');
    expect(
      result.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.slice(0, 12)),
    ).toEqual(['ok    health', 'ok    login ', 'ok    dag   ', 'ok    log   ']);
    expect(result.stdout).toContain('metadatabase healthy, scheduler healthy, dag_processor healthy');
    expect(result.stdout).toContain('say_hello try 1: 2 lines');
    expect(result.status).toBe(0);
  }, 60_000);

  it('fails the login with the wrong password, skips what needs it, exits 1, and never prints the password', async () => {
    const url = await serve({ password: 'another password', finalState: 'success' });
    const result = await afcSmoke(['--url', url, '--dag', 'hello', '--timeout', '30']);
    expect(result.stdout).toMatch(/^FAIL {2}login {3}admin: POST \/auth\/token: 401/m);
    expect(result.stdout).toMatch(/^skip {2}dag {5}the login failed$/m);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(result.status).toBe(1);
  }, 60_000);

  it('names the failed task of a failed run', async () => {
    const url = await serve({ password: PASSWORD, finalState: 'failed' });
    const result = await afcSmoke(['--url', url, '--dag', 'hello', '--timeout', '30']);
    expect(result.stdout).toMatch(/^FAIL {2}dag {5}hello run run 1 failed in \d+ s \(say_hello: failed\)$/m);
    expect(result.status).toBe(1);
  }, 60_000);

  it('speaks Airflow 2 (basic auth, /api/v1, the log as text) and reads only the logs of tasks that ran', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afc-smoke-'));
    writeFileSync(
      join(dir, 'airflow.yaml'),
      `${MINIMAL.replace('"3.1.3"', '"2.11.2"').replace('  jwtSecret: { ssm: /analytics/jwt_secret }\n', '')}  adminUser: { username: admin, email: a@example.com, password: { file: ./admin_password } }\n`,
    );
    writeFileSync(join(dir, 'admin_password'), 'pw of airflow 2\n');
    const port = await freePort();
    server = fakeAirflow2('pw of airflow 2');
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    const result = await afcSmoke(['--url', `http://127.0.0.1:${port}`, '--dag', 'hello', '--timeout', '30'], join(dir, 'airflow.yaml'));
    expect(result.stdout).toContain('ok    log     say try 1: 1 lines');
    expect(result.status).toBe(0);
  }, 60_000);

  it('works behind a path prefix', async () => {
    const url = await serve({ password: PASSWORD, finalState: 'success', prefix: '/airflow' });
    const result = await afcSmoke(['--url', `${url}airflow/`, '--dag', 'hello', '--timeout', '30']);
    expect(result.status).toBe(0);
  }, 60_000);

  it('fails health at once, without waiting, when the URL answers 404 (a wrong path prefix)', async () => {
    const url = await serve({ password: PASSWORD, finalState: 'success', prefix: '/airflow' });
    const started = Date.now();
    const result = await afcSmoke(['--url', url, '--timeout', '120']);
    expect(result.stdout).toMatch(
      /^FAIL {2}health {2}GET \/api\/v2\/monitor\/health: 404 Not Found.*is http:\/\/127\.0\.0\.1:\d+ the UI's URL, with its path prefix\?\)$/m,
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result.status).toBe(1);
  }, 60_000);

  it('refuses --url forms it cannot use, and --dag without an admin user, as usage errors', async () => {
    expect((await afcSmoke(['--url', 'http://u:secret@127.0.0.1:1'])).stderr).toContain('--url must not hold a user or password');
    expect((await afcSmoke(['--url', 'localhost:8080'])).stderr).toContain('--url must be an http:// or https:// URL');
    const dir = mkdtempSync(join(tmpdir(), 'afc-smoke-'));
    writeFileSync(join(dir, 'airflow.yaml'), MINIMAL);
    const noAdmin = await afcSmoke(['--url', 'http://127.0.0.1:1', '--dag', 'hello'], join(dir, 'airflow.yaml'));
    expect(noAdmin.stderr).toContain('--dag needs a login, and the spec has no secrets.adminUser');
    expect(noAdmin.status).toBe(2);
  }, 60_000);

  it('exits 1 on an invalid spec, with its diagnostics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afc-smoke-'));
    writeFileSync(join(dir, 'airflow.yaml'), MINIMAL.replace('3.1.3', '1.10.0'));
    const result = await afcSmoke(['--url', 'http://127.0.0.1:1'], join(dir, 'airflow.yaml'));
    expect(result.stderr).toMatch(/airflow\.yaml:\d+:\d+: error AFC\d+/);
    expect(result.status).toBe(1);
  }, 60_000);

  it("fails the log check when the log holds no line of the task's own (only where it was read from)", async () => {
    const url = await serve({ password: PASSWORD, finalState: 'success', log: [{ event: '::group::Log message source details' }, { event: '::endgroup::' }] });
    const result = await afcSmoke(['--url', url, '--dag', 'hello', '--timeout', '12']);
    expect(result.stdout).toMatch(/^ok {4}dag /m);
    expect(result.stdout).toMatch(/^FAIL {2}log {5}no line of the task's own in the log of say_hello$/m);
    expect(result.status).toBe(1);
  }, 60_000);

  it('exits 2 when nothing answers at the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await afcSmoke(['--url', url, '--timeout', '1']);
    expect(result.stdout).toMatch(/^FAIL {2}health {2}unreachable after 1 s: GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/monitor\/health: ECONNREFUSED$/m);
    expect(result.status).toBe(2);
  }, 60_000);

  it('refuses a missing --url as a usage error', async () => {
    const result = await afcSmoke([]);
    expect(result.stderr).toContain('afc smoke needs --url');
    expect(result.status).toBe(2);
  }, 60_000);
});

describe('taskOutput', () => {
  it("counts a task's own lines, not where Airflow 3 or 2 read the log from", () => {
    expect(taskOutput('::group::Log message source details\n/opt/airflow/logs/a.log\n::endgroup::\nstarted\ndone\n')).toBe(2);
    expect(taskOutput('*** Found local files:\n***   * /opt/airflow/logs/a.log\n[2026-11-30T20:42:34.932+0000] {logging_mixin.py:190} INFO - started\n')).toBe(
      1,
    );
    expect(taskOutput('::group::Log message source details\n::endgroup::\n')).toBe(0);
  });
});
