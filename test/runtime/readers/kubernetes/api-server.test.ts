import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunCertificates } from '../../certificates.ts';
import type { PodPlan, PodRunStatus, RunControl } from '../../plan.ts';
import { KubernetesApiServer } from './api-server.ts';
import type { Manifest } from './manifests.ts';
import { Rbac } from './rbac.ts';
import { ServiceAccounts } from './service-accounts.ts';

const NAMESPACE = 'airflow';
const m = (kind: string, name: string, fields: Record<string, unknown> = {}): Manifest => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace: NAMESPACE },
  source: `test: ${kind}/${name}`,
  ...fields,
});
const MANIFESTS = [
  m('ServiceAccount', 'scheduler'),
  m('ServiceAccount', 'web'),
  m('Role', 'launcher', { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'] }] }),
  m('RoleBinding', 'launcher', {
    roleRef: { kind: 'Role', name: 'launcher' },
    subjects: [{ kind: 'ServiceAccount', name: 'scheduler', namespace: NAMESPACE }],
  }),
  m('Role', 'reader', {
    rules: [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    ],
  }),
  m('RoleBinding', 'reader', { roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'web' }] }),
];

/** The run, as far as the API server sees it: pods it launched, and their state as the test sets it. */
class FakeRun implements RunControl {
  readonly launched: PodPlan[] = [];
  readonly removed: string[] = [];
  readonly states = new Map<string, PodRunStatus>();
  constructor(private readonly log: string) {}
  launch(pod: PodPlan): void {
    this.launched.push(pod);
    this.states.set(pod.name, { state: 'starting', containers: [] });
  }
  async remove(pod: string): Promise<void> {
    this.removed.push(pod);
  }
  podStatus(pod: string): PodRunStatus | undefined {
    return this.states.get(pod);
  }
  logFile(): string {
    return this.log;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'afc-api-test-'));
let api: KubernetesApiServer;
let run: FakeRun;
let ca: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const certificates = await RunCertificates.create(dir);
  ca = certificates.ca;
  const accounts = new ServiceAccounts(MANIFESTS, NAMESPACE, ca, join(dir, 'accounts'));
  const { readFileSync } = await import('node:fs');
  for (const account of ['scheduler', 'web'])
    tokens[account] = readFileSync(join((accounts.mounts(account, undefined, 'test')[0] as { hostPath: string }).hostPath, 'token'), 'utf8');
  const tls = await certificates.issue('api', ['127.0.0.1']);
  writeFileSync(join(dir, 'base.log'), 'one\ntwo\nthree\n');
  run = new FakeRun(join(dir, 'base.log'));
  api = new KubernetesApiServer({
    address: '127.0.0.1',
    port: 0,
    namespace: NAMESPACE,
    tls,
    accounts,
    rbac: new Rbac(MANIFESTS, NAMESPACE),
    plan: (name, template) => {
      if (template.spec.containers[0]!.name !== 'base') throw new Error('not a task pod');
      return {
        name,
        hostname: name,
        names: [],
        containers: [{ name: 'base', image: 'airflow', env: {}, mounts: [], healthChecks: [] }],
        after: [],
        restart: 'never',
        runsToCompletion: true,
      };
    },
  });
  await api.start(run);
}, 60_000);

afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

function call(method: string, path: string, options: { as?: string; body?: unknown; contentType?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = options.body ? JSON.stringify(options.body) : undefined;
    const headers: Record<string, string> = {
      ...(options.as ? { authorization: `bearer ${tokens[options.as]}` } : {}),
      ...(body ? { 'content-type': options.contentType ?? 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
    };
    const req = request({ host: '127.0.0.1', port: api.port, path, method, ca, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The first `count` events of a watch. */
function watch(
  path: string,
  count: number,
  during: () => Promise<void> = async () => {},
): Promise<{ type: string; object: { metadata: { name: string }; status: { phase: string } } }[]> {
  return new Promise((resolve, reject) => {
    const events: { type: string; object: { metadata: { name: string }; status: { phase: string } } }[] = [];
    const req = request({ host: '127.0.0.1', port: api.port, path, ca, headers: { authorization: `bearer ${tokens.scheduler}` } }, (res) => {
      let buffer = '';
      res.on('data', (d: Buffer) => {
        buffer += d.toString();
        for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
          events.push(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
          if (events.length === count) {
            req.destroy();
            resolve(events);
          }
        }
      });
    });
    req.on('error', (e) => (events.length === count ? undefined : reject(e)));
    req.end();
    void during();
  });
}

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'task-1', labels: { 'airflow-worker': '7', kubernetes_executor: 'True' }, annotations: { dag_id: 'd' } },
  spec: { restartPolicy: 'Never', serviceAccountName: 'web', containers: [{ name: 'base', image: 'airflow', args: ['python'] }] },
};
const PODS = `/api/v1/namespaces/${NAMESPACE}/pods`;

describe("the harness's Kubernetes API server", () => {
  it('wants a ServiceAccount token, and serves discovery to any account', async () => {
    expect((await call('GET', '/api/v1')).status).toBe(401);
    const discovery = await call('GET', '/api/v1', { as: 'web' });
    expect(JSON.parse(discovery.body).resources.map((r: { name: string }) => r.name)).toEqual(['pods', 'pods/log']);
  });

  it("enforces the output's RBAC", async () => {
    const denied = await call('POST', PODS, { as: 'web', body: POD });
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body).message).toBe(
      `pods is forbidden: User "system:serviceaccount:${NAMESPACE}:web" cannot create resource "pods" in API group "" in the namespace "${NAMESPACE}"`,
    );
  });

  it('creates a pod that runs as a harness pod, lists it by selector, and refuses what the harness cannot run', async () => {
    const created = await call('POST', PODS, { as: 'scheduler', body: POD });
    expect(created.status).toBe(201);
    expect(run.launched.map((p) => p.name)).toEqual(['task-1']);
    expect((await call('POST', PODS, { as: 'scheduler', body: POD })).status).toBe(409);
    const list = JSON.parse(
      (await call('GET', `${PODS}?labelSelector=${encodeURIComponent('airflow-worker=7,airflow_executor_done!=True')}`, { as: 'scheduler' })).body,
    );
    expect(list.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['task-1']);
    expect(JSON.parse((await call('GET', `${PODS}?labelSelector=airflow-worker%3D8`, { as: 'web' })).body).items).toEqual([]);
    const refused = await call('POST', PODS, {
      as: 'scheduler',
      body: { ...POD, metadata: { name: 'task-2' }, spec: { containers: [{ name: 'other', image: 'x' }] } },
    });
    expect(refused.status).toBe(422);
    expect((await call('POST', PODS, { as: 'scheduler', body: { ...POD, metadata: { name: 'Bad_Name' } } })).status).toBe(422);
  });

  it("streams the pod's phases as the run goes, and a pod leaving a watch's selector is DELETED for it", async () => {
    const events = await watch(
      `${PODS}?watch=True&resourceVersion=0&labelSelector=${encodeURIComponent('airflow-worker=7,airflow_executor_done!=True')}`,
      4,
      async () => {
        run.states.set('task-1', { state: 'running', address: '10.0.0.9', containers: [{ name: 'base', running: true, starts: [Date.now()], exits: [] }] });
        await new Promise((r) => setTimeout(r, 1200));
        run.states.set('task-1', {
          state: 'completed',
          address: '10.0.0.9',
          containers: [{ name: 'base', running: false, starts: [Date.now()], exits: [{ at: Date.now(), code: 0 }] }],
        });
        await new Promise((r) => setTimeout(r, 1200));
        await call('PATCH', `${PODS}/task-1`, {
          as: 'scheduler',
          body: { metadata: { labels: { airflow_executor_done: 'True' } } },
          contentType: 'application/strategic-merge-patch+json',
        });
      },
    );
    expect(events.map((e) => [e.type, e.object.status.phase])).toEqual([
      ['ADDED', 'Pending'],
      ['MODIFIED', 'Running'],
      ['MODIFIED', 'Succeeded'],
      ['DELETED', 'Succeeded'],
    ]);
  });

  it("serves a container's log, its last lines when asked", async () => {
    expect((await call('GET', `${PODS}/task-1/log?container=base&tailLines=2`, { as: 'web' })).body).toBe('two\nthree\n');
    expect((await call('GET', `${PODS}/task-1/log?container=nope`, { as: 'web' })).status).toBe(400);
  });

  it('deletes a pod: its containers stop, and it is gone', async () => {
    expect((await call('DELETE', `${PODS}/task-1`, { as: 'web' })).status).toBe(403);
    expect((await call('DELETE', `${PODS}/task-1`, { as: 'scheduler', body: { gracePeriodSeconds: 0 } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(run.removed).toEqual(['task-1']);
    expect((await call('GET', `${PODS}/task-1`, { as: 'scheduler' })).status).toBe(404);
  });
});
