import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlatformService, PodPlan, RunControl } from '../../plan.ts';
import { now, podStatus, validateMeta, type PodObject } from './pod-objects.ts';
import type { PodTemplate } from './pods.ts';
import type { Access, Rbac } from './rbac.ts';
import { fieldSelector, labelSelector } from './selectors.ts';
import type { ServiceAccounts } from './service-accounts.ts';

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: PodObject;
  version: number;
}

interface Watcher {
  matches: (pod: PodObject) => boolean;
  /** Pods this watcher has been told about, so that one leaving its selector is DELETED for it. */
  seen: Set<string>;
  send: (type: WatchEvent['type'], pod: PodObject) => void;
  end: () => void;
}

export interface ApiServerOptions {
  address: string;
  port: number;
  namespace: string;
  tls: { cert: string; key: string };
  accounts: ServiceAccounts;
  rbac: Rbac;
  /** The plan of a pod created through the API; throws what the harness cannot run. */
  plan: (name: string, template: PodTemplate, restartPolicy: string) => PodPlan;
}

const _RESTART = { Always: 'always', OnFailure: 'on-failure', Never: 'never' } as const;

/**
 * The cluster's API server, for the pods the output's own programs ask for
 * (the KubernetesExecutor's task pods; the UI reading their logs): the core
 * v1 pods resource of the namespace — create, get, list and watch (label and
 * field selectors, resource versions), patch of labels and annotations,
 * delete — and pods/log, plus the discovery documents clients read first.
 * HTTPS with a certificate of the run's CA, bearer tokens of the
 * namespace's ServiceAccounts, and the output's RBAC enforced on each
 * request. A pod created here runs as a harness pod (the reader's own
 * translation of its spec), and its status follows the run: Pending while
 * its init containers run, Running, then Succeeded or Failed. Workload pods
 * (Deployments, Jobs…) are not listed: only what the API created.
 */
export class KubernetesApiServer implements PlatformService {
  private server: Server | undefined;
  private run: RunControl | undefined;
  private version = 1;
  private readonly pods = new Map<string, { object: PodObject; plan: PodPlan }>();
  private readonly events: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ApiServerOptions) {}

  /** The variables the kubelet gives every container for the `kubernetes` Service of the default namespace. */
  environment(): Record<string, string> {
    const { address, port } = this.options;
    const tcp = `tcp://${address}:${port}`;
    return {
      KUBERNETES_SERVICE_HOST: address,
      KUBERNETES_SERVICE_PORT: String(port),
      KUBERNETES_SERVICE_PORT_HTTPS: String(port),
      KUBERNETES_PORT: tcp,
      [`KUBERNETES_PORT_${port}_TCP`]: tcp,
      [`KUBERNETES_PORT_${port}_TCP_PROTO`]: 'tcp',
      [`KUBERNETES_PORT_${port}_TCP_PORT`]: String(port),
      [`KUBERNETES_PORT_${port}_TCP_ADDR`]: address,
    };
  }

  /** The port it listens on: the options' (the system's choice for 0). */
  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  async start(run: RunControl): Promise<void> {
    this.run = run;
    const server = createServer({ cert: readFileSync(this.options.tls.cert), key: readFileSync(this.options.tls.key) }, (request, response) => {
      void this.handle(request, response).catch((error: Error) => this.reply(response, 500, status(500, 'InternalError', error.message)));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.address, () => resolve());
    });
    this.server = server;
    this.timer = setInterval(() => this.refresh(), 500);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const watcher of this.watchers) watcher.end();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'https://kubernetes');
    const method = request.method ?? 'GET';
    // The scheme is case-insensitive (the Python client sends `bearer`).
    const token = /^bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const account = token === undefined ? undefined : this.options.accounts.identify(token);
    if (!account) return this.reply(response, 401, status(401, 'Unauthorized', 'Unauthorized'));
    const path = url.pathname.replace(/\/$/, '');

    const discovery = DISCOVERY[path];
    if (discovery && method === 'GET') return this.reply(response, 200, discovery);

    const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+)(?:\/(log))?)?$/.exec(path);
    if (!match) return this.reply(response, 404, status(404, 'NotFound', `the server could not find the requested resource (${method} ${path})`));
    const [, namespace, name, sub] = match;
    const verb =
      name === undefined
        ? method === 'GET'
          ? parseBool(url.searchParams.get('watch'))
            ? 'watch'
            : 'list'
          : method === 'POST'
            ? 'create'
            : ''
        : ({ GET: 'get', PATCH: 'patch', DELETE: 'delete' }[method] ?? '');
    if (!verb || (sub && verb !== 'get')) return this.reply(response, 405, status(405, 'MethodNotAllowed', `${method} is not served for ${path}`));
    const access: Access = { verb, resource: sub ? 'pods/log' : 'pods', ...(name ? { name } : {}) };
    if (!this.options.rbac.allows(account, access)) {
      const user = `system:serviceaccount:${this.options.namespace}:${account}`;
      return this.reply(
        response,
        403,
        status(
          403,
          'Forbidden',
          `pods ${name ? `"${name}" ` : ''}is forbidden: User "${user}" cannot ${verb} resource "${access.resource}" in API group "" in the namespace "${namespace}"`,
        ),
      );
    }
    if (namespace !== this.options.namespace) return this.reply(response, 404, status(404, 'NotFound', `namespaces "${namespace}" not found`));

    const body = ['POST', 'PATCH', 'DELETE'].includes(method) ? await readBody(request) : '';
    if (verb === 'list') return this.list(url, request, response);
    if (verb === 'watch') return this.watch(url, response);
    if (verb === 'create') return this.create(body, namespace!, response);
    const stored = this.pods.get(name!);
    if (!stored) return this.reply(response, 404, status(404, 'NotFound', `pods "${name}" not found`));
    if (sub) return this.log(stored.object, url, response);
    if (verb === 'get') return this.reply(response, 200, stored.object);
    if (verb === 'patch') return this.patch(stored.object, body, request.headers['content-type'] ?? '', response);
    return this.delete(stored.object, body, response);
  }

  private list(url: URL, request: IncomingMessage, response: ServerResponse) {
    const matches = this.selector(url);
    const items = [...this.pods.values()].map((p) => p.object).filter(matches);
    const metadata = { resourceVersion: String(this.version) };
    if ((request.headers.accept ?? '').includes('as=PartialObjectMetadataList')) {
      return this.reply(response, 200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata,
        items: items.map((p) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata })),
      });
    }
    this.reply(response, 200, { kind: 'PodList', apiVersion: 'v1', metadata, items });
  }

  private watch(url: URL, response: ServerResponse) {
    const matches = this.selector(url);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    const watcher: Watcher = {
      matches,
      seen: new Set(),
      send: (type, pod) => response.write(`${JSON.stringify({ type, object: pod })}\n`),
      end: () => {
        this.watchers.delete(watcher);
        response.end();
      },
    };
    const from = url.searchParams.get('resourceVersion');
    if (!from || from === '0') {
      for (const { object } of this.pods.values()) this.tell(watcher, 'ADDED', object);
    } else {
      for (const event of this.events.filter((e) => e.version > Number(from))) this.tell(watcher, event.type, event.object);
    }
    this.watchers.add(watcher);
    const seconds = Number(url.searchParams.get('timeoutSeconds') ?? 1800);
    const timer = setTimeout(() => watcher.end(), seconds * 1000);
    response.on('close', () => {
      clearTimeout(timer);
      this.watchers.delete(watcher);
    });
  }

  /** Tells a watcher of an event as its selector sees it: a pod entering it is ADDED, one leaving it DELETED. */
  private tell(watcher: Watcher, type: WatchEvent['type'], pod: PodObject): void {
    const before = watcher.seen.has(pod.metadata.name);
    const after = type !== 'DELETED' && watcher.matches(pod);
    if (after) watcher.seen.add(pod.metadata.name);
    else watcher.seen.delete(pod.metadata.name);
    if (after) watcher.send(before ? 'MODIFIED' : 'ADDED', pod);
    else if (before) watcher.send('DELETED', pod);
  }

  private emit(type: WatchEvent['type'], pod: PodObject): void {
    this.version++;
    pod.metadata.resourceVersion = String(this.version);
    const object = structuredClone(pod);
    this.events.push({ type, object, version: this.version });
    for (const watcher of this.watchers) this.tell(watcher, type, object);
  }

  private create(body: string, namespace: string, response: ServerResponse) {
    let pod: Partial<PodObject>;
    try {
      pod = JSON.parse(body) as Partial<PodObject>;
    } catch (error) {
      return this.reply(response, 400, status(400, 'BadRequest', (error as Error).message));
    }
    if ((pod.kind ?? 'Pod') !== 'Pod' || !pod.spec) return this.reply(response, 400, status(400, 'BadRequest', 'not a Pod'));
    const metadata = { ...(pod.metadata ?? {}) } as PodObject['metadata'] & { generateName?: string };
    if (metadata.namespace && metadata.namespace !== namespace)
      return this.reply(response, 400, status(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'));
    const name = metadata.name ?? (metadata.generateName ? `${metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}` : undefined);
    const invalid = validateMeta(name, metadata.labels, metadata.annotations);
    if (invalid) return this.reply(response, 422, status(422, 'Invalid', `Pod "${name ?? ''}" is invalid: ${invalid}`));
    if (this.pods.has(name!)) return this.reply(response, 409, status(409, 'AlreadyExists', `pods "${name}" already exists`));
    const spec = {
      ...pod.spec,
      restartPolicy: pod.spec.restartPolicy ?? 'Always',
      serviceAccountName: pod.spec.serviceAccountName ?? 'default',
    } as PodObject['spec'];
    let plan: PodPlan;
    try {
      plan = this.options.plan(
        name!,
        { metadata: { name: name!, labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} }, spec },
        spec.restartPolicy,
      );
    } catch (error) {
      process.stderr.write(`kubernetes API: refused pod ${name}: ${(error as Error).message}\n`);
      return this.reply(response, 422, status(422, 'Invalid', `Pod "${name}" is invalid: ${(error as Error).message}`));
    }
    const object: PodObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...metadata, name: name!, namespace, uid: randomUUID(), resourceVersion: '', creationTimestamp: now() },
      spec,
      status: { phase: 'Pending', qosClass: 'Burstable' },
    };
    this.pods.set(name!, { object, plan });
    this.emit('ADDED', object);
    this.run!.launch(plan);
    this.reply(response, 201, object);
  }

  private patch(pod: PodObject, body: string, contentType: string, response: ServerResponse) {
    if (!/^application\/(merge-patch|strategic-merge-patch)\+json/.test(contentType))
      return this.reply(response, 415, status(415, 'UnsupportedMediaType', `the harness's API server patches with merge patches, not ${contentType}`));
    const patch = JSON.parse(body) as { metadata?: { labels?: Record<string, string | null>; annotations?: Record<string, string | null> } };
    const other = Object.keys(patch)
      .filter((k) => k !== 'metadata')
      .concat(Object.keys(patch.metadata ?? {}).filter((k) => k !== 'labels' && k !== 'annotations'));
    if (other.length)
      return this.reply(response, 422, status(422, 'Invalid', `the harness's API server patches labels and annotations only, not ${other.join(', ')}`));
    for (const field of ['labels', 'annotations'] as const) {
      const changes = patch.metadata?.[field];
      if (!changes) continue;
      const merged = { ...(pod.metadata[field] ?? {}) };
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) delete merged[k];
        else merged[k] = v;
      }
      pod.metadata[field] = merged;
    }
    const invalid = validateMeta(pod.metadata.name, pod.metadata.labels, pod.metadata.annotations);
    if (invalid) return this.reply(response, 422, status(422, 'Invalid', invalid));
    this.emit('MODIFIED', pod);
    this.reply(response, 200, pod);
  }

  private delete(pod: PodObject, body: string, response: ServerResponse) {
    const options = body ? (JSON.parse(body) as { gracePeriodSeconds?: number }) : {};
    const grace = options.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    if (!pod.metadata.deletionTimestamp) {
      pod.metadata.deletionTimestamp = now();
      pod.metadata.deletionGracePeriodSeconds = grace;
      this.emit('MODIFIED', pod);
      void this.run!.remove(pod.metadata.name, grace * 1000).then(() => {
        this.refresh();
        this.pods.delete(pod.metadata.name);
        this.emit('DELETED', pod);
      });
    }
    this.reply(response, 200, pod);
  }

  private log(pod: PodObject, url: URL, response: ServerResponse) {
    const containers = pod.spec.containers.map((c) => c.name);
    const container = url.searchParams.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
    if (!container)
      return this.reply(
        response,
        400,
        status(400, 'BadRequest', `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]`),
      );
    if (![...containers, ...(pod.spec.initContainers ?? []).map((c) => c.name)].includes(container))
      return this.reply(response, 400, status(400, 'BadRequest', `container ${container} is not valid for pod ${pod.metadata.name}`));
    if (parseBool(url.searchParams.get('follow'))) return this.reply(response, 400, status(400, 'BadRequest', "the harness's API server does not follow logs"));
    const file = this.run!.logFile(pod.metadata.name, container);
    if (!file || !existsSync(file))
      return this.reply(
        response,
        400,
        status(400, 'BadRequest', `container "${container}" in pod "${pod.metadata.name}" is waiting to start: PodInitializing`),
      );
    let text = readFileSync(file, 'utf8');
    const tail = url.searchParams.get('tailLines');
    if (tail !== null) {
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      text = lines
        .slice(-Number(tail))
        .map((l) => `${l}\n`)
        .join('');
    }
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.end(text);
  }

  /** The pods' statuses, from the run; a change is a MODIFIED event. */
  private refresh(): void {
    for (const { object, plan } of this.pods.values()) {
      const next = podStatus(plan, this.run!.podStatus(object.metadata.name), object, this.options.address);
      if (JSON.stringify(next) === JSON.stringify(object.status)) continue;
      object.status = next;
      this.emit('MODIFIED', object);
    }
  }

  private selector(url: URL): (pod: PodObject) => boolean {
    const labels = labelSelector(url.searchParams.get('labelSelector') ?? '');
    const fields = fieldSelector(url.searchParams.get('fieldSelector') ?? '');
    return (pod) =>
      labels(pod.metadata.labels ?? {}) &&
      fields(
        (path) =>
          ({
            'metadata.name': pod.metadata.name,
            'metadata.namespace': pod.metadata.namespace,
            'status.phase': String(pod.status.phase ?? ''),
            'spec.restartPolicy': pod.spec.restartPolicy,
            'spec.serviceAccountName': pod.spec.serviceAccountName,
            'status.podIP': String(pod.status.podIP ?? ''),
          })[path],
      );
  }

  private reply(response: ServerResponse, code: number, body: unknown): void {
    if (response.headersSent) return void response.end();
    response.writeHead(code, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}

const DISCOVERY: Record<string, unknown> = {
  '/version': { major: '1', minor: '31', gitVersion: 'v1.31.0-afc-harness', platform: 'linux/amd64' },
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [] },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'], shortNames: ['po'] },
      { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
    ],
  },
};

/** A query's boolean as the API server reads it (Go's strconv.ParseBool; the Python client sends `True`). */
function parseBool(value: string | null): boolean {
  return value !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}
