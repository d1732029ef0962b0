import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GIT_SYNC_HTTP,
  GIT_SYNC_IMAGE,
  gitSyncEnvironment,
  gitSyncHealthCommand,
  S3_SYNCED_MARKER,
  s3SyncCommand,
  s3SyncedCommand,
  s3SyncLoop,
} from '../../compiler/dags/sync.ts';
import type { DagSourceModel } from '../../compiler/normalize/model.ts';
import { haveTool, skipReason } from '../support/tools.ts';
import { airflowCatalogue } from '../../compiler/airflow/components.ts';
import { MINIMAL, modelOf } from '../support/spec.ts';

const hasShellcheck = haveTool('shellcheck');
const hasDash = haveTool('dash', ['-c', 'true']);
const s3: Extract<DagSourceModel, { kind: 's3' }> = { kind: 's3', bucket: "acme-dags'x", prefix: 'dags/', period: '30s' };
const git: Extract<DagSourceModel, { kind: 'git' }> = {
  kind: 'git',
  repo: 'git@github.com:acme/dags.git',
  branch: 'main',
  subPath: 'dags',
  period: '60s',
  sshKey: { file: './key' },
  knownHosts: 'github.com ssh-ed25519 AAAA',
};

/**
 * Whether the loop can run as PID 1 of a PID namespace, as in a container: the kernel then delivers SIGTERM
 * only if the process handles it (pid_namespaces(7)), which is the failure this test is about.
 */
const asPid1 = spawnSync('unshare', ['--pid', '--fork', '--kill-child', 'true']).status === 0;

/** The loop as a container runs it (`/bin/sh -c SCRIPT` as PID 1), with a fake `aws` first on PATH that logs and takes `seconds`. */
function startLoop(shell: string, dir: string, awsSeconds: number, awsStatus = 0, script = s3SyncLoop(s3, join(dir, 'dags'))): ChildProcess {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'bin', 'aws'), `#!/bin/sh\necho "$*" >> ${dir}/calls\nsleep ${awsSeconds}\nexit ${awsStatus}\n`, { mode: 0o755 });
  const argv = [...(asPid1 ? ['unshare', '--pid', '--fork', '--kill-child'] : []), shell, '-c', script];
  return spawn(argv[0]!, argv.slice(1), { env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin:/usr/sbin:/sbin` }, stdio: 'ignore' });
}

/** Milliseconds from SIGTERM (to the shell: PID 1 of its namespace when it can be) to the exit, and the exit code. */
function terminate(child: ChildProcess): Promise<{ ms: number; code: number | null; signal: NodeJS.Signals | null }> {
  const pid = asPid1 ? Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0]) : child.pid!;
  return new Promise((resolve) => {
    const start = Date.now();
    // A shell that ignores it is killed after 3 s, so that a failure ends.
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', (code, signal) => {
      clearTimeout(kill);
      resolve({ ms: Date.now() - start, code, signal });
    });
    process.kill(pid, 'SIGTERM');
  });
}

const until = async (condition: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !condition() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
};

describe('the S3 sync loop', () => {
  const shells = ['sh', ...(hasDash ? ['dash'] : []), 'bash'];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'afc-dags-sync-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(shells)(`exits at once on SIGTERM while a sync runs (%s${asPid1 ? ' as PID 1' : ', not as PID 1: unshare --pid needs root'})`, async (shell) => {
    const run = join(dir, `syncing-${shell}`);
    const child = startLoop(shell, run, 30);
    await until(() => existsSync(join(run, 'calls')));
    // The bucket's quote reaches the CLI as data, in one argument.
    expect(readFileSync(join(run, 'calls'), 'utf8')).toBe(`s3 sync s3://acme-dags'x/dags/ ${join(run, 'dags')} --delete --only-show-errors\n`);
    const { ms, code } = await terminate(child);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(1000);
  });

  it.each(shells)('exits at once on SIGTERM while it sleeps between syncs (%s)', async (shell) => {
    const run = join(dir, `sleeping-${shell}`);
    const child = startLoop(shell, run, 0);
    await until(() => existsSync(join(run, 'calls')));
    await new Promise((r) => setTimeout(r, 300));
    const { ms, code } = await terminate(child);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(1000);
  });

  it('marks its first successful sync for a health check, and retries a failed one', async () => {
    rmSync(S3_SYNCED_MARKER, { force: true });
    const failing = join(dir, 'failing');
    const fast = { ...s3, period: '1s' };
    const child = startLoop('sh', failing, 0, 1, s3SyncLoop(fast, join(failing, 'dags'), { markReady: true }));
    await until(() => (existsSync(join(failing, 'calls')) ? readFileSync(join(failing, 'calls'), 'utf8').split('\n').length > 2 : false));
    expect(readFileSync(join(failing, 'calls'), 'utf8').split('\n').length).toBeGreaterThan(2);
    expect(spawnSync('sh', ['-c', s3SyncedCommand()]).status).not.toBe(0);
    await terminate(child);

    const working = join(dir, 'working');
    const ok = startLoop('sh', working, 0, 0, s3SyncLoop(fast, join(working, 'dags'), { markReady: true }));
    await until(() => existsSync(S3_SYNCED_MARKER));
    expect(spawnSync('sh', ['-c', s3SyncedCommand()]).status).toBe(0);
    await terminate(ok);
    rmSync(S3_SYNCED_MARKER, { force: true });
  });

  it.skipIf(!hasShellcheck)(`is accepted by shellcheck -s sh -S warning${hasShellcheck ? '' : ` (skipped: ${skipReason('shellcheck')})`}`, () => {
    for (const script of [s3SyncLoop(s3, '/opt/airflow/dags'), s3SyncLoop(s3, '/dags', { markReady: true }), s3SyncCommand(s3, '/dags')]) {
      const result = spawnSync('shellcheck', ['-s', 'sh', '-S', 'warning', '-'], { input: script, encoding: 'utf8' });
      expect(result.stdout, script).toBe('');
      expect(result.status).toBe(0);
    }
  });
});

describe('git-sync', () => {
  it("runs the Helm chart's version with v4's variables: one sync for an init, the HTTP endpoint for the loop", () => {
    expect(GIT_SYNC_IMAGE).toBe('registry.k8s.io/git-sync/git-sync:v4.4.2');
    const once = Object.fromEntries(gitSyncEnvironment(git, { oneTime: true, addUser: true }).map((e) => [e.name, e.value]));
    expect(once).toEqual({
      GITSYNC_ADD_USER: 'true',
      GITSYNC_LINK: 'repo',
      GITSYNC_ONE_TIME: 'true',
      GITSYNC_PERIOD: '60s',
      GITSYNC_REF: 'main',
      GITSYNC_REPO: 'git@github.com:acme/dags.git',
      GITSYNC_ROOT: '/git',
      GITSYNC_SSH_KEY_FILE: '/etc/git-secret/ssh',
      GITSYNC_SSH_KNOWN_HOSTS: 'true',
      GITSYNC_SSH_KNOWN_HOSTS_FILE: '/etc/git-secret/known_hosts',
    });
    const loop = Object.fromEntries(gitSyncEnvironment({ ...git, sshKey: undefined }, { oneTime: false, addUser: false }).map((e) => [e.name, e.value]));
    expect(loop).toEqual({
      GITSYNC_HTTP_BIND: `:${GIT_SYNC_HTTP.port}`,
      GITSYNC_LINK: 'repo',
      GITSYNC_PERIOD: '60s',
      GITSYNC_REF: 'main',
      GITSYNC_REPO: 'git@github.com:acme/dags.git',
      GITSYNC_ROOT: '/git',
    });
  });

  it.each(['2.11.2', '3.1.3'])('serves its endpoint on a port no Airflow component of %s listens on (they share a pod)', (version) => {
    const spec = `${MINIMAL.replace('"3.1.3"', `"${version}"\n  executor: CeleryExecutor`)}broker: { managed: {} }\ncomponents: { flower: { enabled: true } }\n`;
    const ports = airflowCatalogue(modelOf(spec)).components.flatMap((c) => [c.ports.http, c.ports.logs?.port, c.liveness.http?.port, c.readiness?.port]);
    expect(ports.filter((p) => p !== undefined).length).toBeGreaterThan(5);
    expect(ports).not.toContain(GIT_SYNC_HTTP.port);
  });

  describe('the health command (bash, no HTTP client)', () => {
    let server: Server;
    let status = 503;
    beforeAll(async () => {
      server = createServer((request, response) => {
        response.writeHead(request.url === GIT_SYNC_HTTP.path ? status : 404);
        response.end();
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(GIT_SYNC_HTTP.port, '127.0.0.1', resolve);
      });
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    // Run asynchronously: the server answers on this process's event loop.
    const probe = () =>
      new Promise<number | null>((resolve) => {
        const [command, ...args] = gitSyncHealthCommand();
        spawn(command!, args, { stdio: 'ignore' }).once('exit', (code) => resolve(code));
      });

    it('fails until the first sync (5xx) and succeeds after (200), as git-sync answers', async () => {
      status = 503;
      expect(await probe()).not.toBe(0);
      status = 200;
      expect(await probe()).toBe(0);
    });
  });
});
