import { createHash } from 'node:crypto';
import type { V1ObjectMeta, V1PodSecurityContext, V1ResourceRequirements, V1SecurityContext } from '@kubernetes/client-node';
import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { KubernetesTarget } from '../../schema/generated/types.ts';

/** What the shared layer reads from a Kubernetes target's block, with defaults applied. */
export interface ClusterSettings {
  namespace: string;
  ingress: { className?: string; annotations: Record<string, string> };
  /** Annotations of every ServiceAccount (a platform's workload identity). */
  serviceAccountAnnotations: Record<string, string>;
  externalSecrets: { enabled: boolean; storeName?: string; storeKind: 'SecretStore' | 'ClusterSecretStore'; refreshInterval: string };
  /** Tasks may start pods in the namespace (KubernetesPodOperator in the cluster): the Helm chart's `allowPodLaunching`, default true. */
  allowPodLaunching: boolean;
}

/**
 * The settings every Kubernetes target's block has (`namespace`, `ingress`,
 * `externalSecrets`), with the shared defaults and the platform's own: its
 * default ingress class and its ServiceAccount annotations.
 */
export function clusterSettings(
  block: KubernetesTarget | undefined,
  platform: { ingressClassName?: string; serviceAccountAnnotations?: Record<string, string> } = {},
): ClusterSettings {
  const es = block?.externalSecrets;
  const className = block?.ingress?.className || platform.ingressClassName;
  return {
    namespace: block?.namespace ?? 'airflow',
    ingress: { ...(className ? { className } : {}), annotations: block?.ingress?.annotations ?? {} },
    serviceAccountAnnotations: platform.serviceAccountAnnotations ?? {},
    allowPodLaunching: block?.allowPodLaunching ?? true,
    externalSecrets: {
      enabled: es?.enabled ?? false,
      ...(es?.storeName ? { storeName: es.storeName } : {}),
      storeKind: es?.storeKind ?? 'ClusterSecretStore',
      refreshInterval: es?.refreshInterval ?? '1h',
    },
  };
}

/** Names of the objects, all prefixed by the deployment's name. */
export function names(model: Model) {
  const n = (suffix: string) => `${model.name}-${suffix}`;
  return {
    of: n,
    serviceAccount: n('airflow'),
    schedulerServiceAccount: n('scheduler'),
    webServiceAccount: n(model.facts.web.component),
    workerServiceAccount: n('worker'),
    config: n('config'),
    secret: n('secrets'),
    credentials: n('credentials'),
    podTemplate: n('pod-template'),
    podLauncher: n('pod-launcher'),
    podLogReader: n('pod-log-reader'),
    taskPodLauncher: n('task-pod-launcher'),
    web: n(model.facts.web.component),
    redis: n('redis'),
    postgres: n('postgres'),
  };
}

/** The recommended app.kubernetes.io labels; the selector uses the stable ones only. */
export function labels(model: Model, component: string): Record<string, string> {
  return {
    ...selector(model, component),
    'app.kubernetes.io/managed-by': 'afc',
    'app.kubernetes.io/part-of': 'airflow',
    'app.kubernetes.io/version': model.airflow.version.raw,
  };
}

export function selector(model: Model, component: string): Record<string, string> {
  return { 'app.kubernetes.io/component': component, 'app.kubernetes.io/instance': model.name, 'app.kubernetes.io/name': 'airflow' };
}

/** `{ annotations }` for object metadata, or nothing when there are none. */
export function annotated(annotations: Record<string, string>): Partial<V1ObjectMeta> {
  return Object.keys(annotations).length > 0 ? { annotations } : {};
}

export function metadata(model: Model, settings: ClusterSettings, name: string, component: string, extra: Partial<V1ObjectMeta> = {}): V1ObjectMeta {
  return { name, namespace: settings.namespace, labels: labels(model, component), ...extra };
}

/** The official image's user and group, non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp. */
export const POD_SECURITY: V1PodSecurityContext = {
  runAsUser: OFFICIAL_IMAGE.uid,
  runAsGroup: OFFICIAL_IMAGE.gid,
  fsGroup: OFFICIAL_IMAGE.gid,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};
export const CONTAINER_SECURITY: V1SecurityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

/** A short, stable digest, for names that must change with their content and for checksum annotations. */
export function digest(value: unknown, length = 10): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, length);
}

/** CPU and memory as requests and limits. */
export function resources(r: { cpu: number; memoryMiB: number }): V1ResourceRequirements {
  const quantities = { cpu: `${Math.round(r.cpu * 1000)}m`, memory: `${r.memoryMiB}Mi` };
  return { requests: quantities, limits: quantities };
}
