import type { PodPlan, PodRunStatus } from '../../plan.ts';
import type { PodTemplate } from './pods.ts';

/**
 * A Pod as the harness's API server holds it (api-server.ts): the object a
 * client created, with the metadata the API server adds, the checks it
 * makes of names and labels, and the status the kubelet would report.
 */
export interface PodObject {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    [k: string]: unknown;
  };
  spec: PodTemplate['spec'] & { restartPolicy: string; serviceAccountName: string; terminationGracePeriodSeconds?: number };
  status: Record<string, unknown>;
}

/** A pod's status as the kubelet reports it, from where the run is. */
export function podStatus(plan: PodPlan, run: PodRunStatus | undefined, pod: PodObject, hostIP: string): Record<string, unknown> {
  const phase =
    !run || run.state === 'waiting' || run.state === 'starting'
      ? 'Pending'
      : run.state === 'running'
        ? 'Running'
        : run.state === 'completed'
          ? 'Succeeded'
          : 'Failed';
  const initDone = plan.containers.filter((c) => c.init).every((c) => run?.containers.find((r) => r.name === c.name)?.exits.at(-1)?.code === 0);
  const containerStatus = (name: string, image: string, init: boolean) => {
    const record = run?.containers.find((r) => r.name === name);
    const started = record?.starts.at(-1);
    const exit = record && record.exits.length === record.starts.length ? record.exits.at(-1) : undefined;
    const state = record?.running
      ? { running: { startedAt: iso(started) } }
      : exit
        ? { terminated: { exitCode: exit.code ?? 137, reason: exit.code === 0 ? 'Completed' : 'Error', startedAt: iso(started), finishedAt: iso(exit.at) } }
        : { waiting: { reason: init || !initDone ? 'PodInitializing' : 'ContainerCreating' } };
    return {
      name,
      image,
      imageID: '',
      state,
      lastState: {},
      ready: Boolean(record?.running) && !init,
      restartCount: Math.max((record?.starts.length ?? 0) - 1, 0),
      started: Boolean(record?.running),
    };
  };
  const statuses = (init: boolean) => plan.containers.filter((c) => Boolean(c.init) === init).map((c) => containerStatus(c.name, c.image, init));
  return {
    phase,
    hostIP,
    ...(run?.address ? { podIP: run.address, podIPs: [{ ip: run.address }] } : {}),
    startTime: pod.metadata.creationTimestamp,
    ...(plan.containers.some((c) => c.init) ? { initContainerStatuses: statuses(true) } : {}),
    containerStatuses: statuses(false),
    qosClass: 'Burstable',
  };
}

/** The API server's checks of a name, labels and annotations (apimachinery validation). */
export function validateMeta(
  name: string | undefined,
  labels: Record<string, unknown> | undefined,
  annotations: Record<string, unknown> | undefined,
): string | undefined {
  const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  if (!name) return 'metadata.name: Required value: name or generateName is required';
  if (name.length > 253 || !subdomain.test(name))
    return `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`;
  const qualified = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
  for (const [key, value] of Object.entries(labels ?? {})) {
    const [prefix, base] = key.includes('/') ? key.split('/', 2) : [undefined, key];
    if ((prefix !== undefined && (prefix.length > 253 || !subdomain.test(prefix))) || !base || base.length > 63 || !qualified.test(base))
      return `metadata.labels: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.'`;
    if (typeof value !== 'string' || value.length > 63 || (value !== '' && !qualified.test(value)))
      return `metadata.labels: Invalid value: "${String(value)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', at most 63`;
  }
  for (const [key, value] of Object.entries(annotations ?? {}))
    if (typeof value !== 'string') return `metadata.annotations.${key}: Invalid value: not a string`;
  return undefined;
}

export function now(): string {
  return iso(Date.now())!;
}

/** RFC 3339 in seconds, as the API writes times. */
function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
