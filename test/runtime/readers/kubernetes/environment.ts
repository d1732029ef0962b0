import type { ConfigData } from './config-data.ts';
import { expand } from './expansion.ts';
import { onlyFields } from './manifests.ts';

/** What a container's environment may refer to besides ConfigMaps and Secrets: its pod. */
export interface PodFacts {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  serviceAccountName: string;
}

interface EnvVar {
  name: string;
  value?: unknown;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string; apiVersion?: string };
  };
}

interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface ContainerEnvironment {
  env: Record<string, string>;
  /** Variables whose value is the pod's address (`fieldRef: status.podIP`), known when it starts. */
  addressEnv: string[];
}

/**
 * A Kubernetes environment variable name, as the kubelet accepts envFrom
 * keys (validation.IsEnvVarName); others are skipped, with an event.
 */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * A container's environment as the kubelet makes it
 * (kubelet_pods.go, makeEnvironmentVariables): `envFrom` sources in order,
 * each key with its prefix (keys that are no variable name skipped), then
 * `env` in order over them, each `value` with `$(VAR)` references to what is
 * defined so far expanded, each `valueFrom` resolved. A missing ConfigMap,
 * Secret or key that is not `optional` keeps the container from starting: an
 * error here.
 *
 * Not made: the service variables (`<SERVICE>_SERVICE_HOST`, `_PORT`…) of
 * enableServiceLinks, since a Service has no address of its own in the
 * harness; `platform` holds what the cluster itself gives every container.
 */
export function containerEnvironment(
  container: { name: string; env?: EnvVar[]; envFrom?: EnvFromSource[] },
  pod: PodFacts,
  data: ConfigData,
  platform: Record<string, string>,
  where: string,
): ContainerEnvironment {
  const env = new Map<string, string>();
  for (const [index, source] of (container.envFrom ?? []).entries()) {
    const at = `${where}.envFrom[${index}]`;
    onlyFields(source, ['prefix', 'configMapRef', 'secretRef'], at);
    const ref = source.configMapRef ?? source.secretRef;
    if (!ref || (source.configMapRef && source.secretRef)) throw new Error(`${at}: exactly one of configMapRef and secretRef`);
    const values = source.configMapRef ? data.configMap(ref.name) : data.secret(ref.name);
    if (!values) {
      if (ref.optional) continue;
      throw new Error(`${at}: ${source.configMapRef ? 'ConfigMap' : 'Secret'} ${ref.name} does not exist (the container would not start)`);
    }
    for (const [key, value] of values) {
      const name = `${source.prefix ?? ''}${key}`;
      if (ENV_VAR_NAME.test(name)) env.set(name, text(value, `${at}: ${key}`));
    }
  }

  const addressEnv = new Set<string>();
  const lookup = (name: string) => env.get(name) ?? platform[name];
  for (const [index, variable] of (container.env ?? []).entries()) {
    const at = `${where}.env[${index}] (${variable.name})`;
    onlyFields(variable, ['name', 'value', 'valueFrom'], at);
    addressEnv.delete(variable.name);
    if (variable.value !== undefined && variable.value !== '') {
      if (typeof variable.value !== 'string') throw new Error(`${at}: value is a ${typeof variable.value}, which the API server refuses (quote it)`);
      env.set(variable.name, expand(variable.value, lookup));
      continue;
    }
    const from = variable.valueFrom;
    if (!from) {
      env.set(variable.name, '');
      continue;
    }
    onlyFields(from, ['configMapKeyRef', 'secretKeyRef', 'fieldRef'], `${at}.valueFrom`);
    if (from.fieldRef) {
      const field = from.fieldRef.fieldPath;
      if (field === 'status.podIP') {
        addressEnv.add(variable.name);
        env.delete(variable.name);
        continue;
      }
      env.set(variable.name, fieldValue(field, pod, at));
      continue;
    }
    const ref = from.configMapKeyRef ?? from.secretKeyRef;
    if (!ref) throw new Error(`${at}: valueFrom names no source`);
    const values = from.configMapKeyRef ? data.configMap(ref.name) : data.secret(ref.name);
    const value = values?.get(ref.key);
    if (value === undefined) {
      if (ref.optional) continue;
      throw new Error(
        `${at}: ${from.configMapKeyRef ? 'ConfigMap' : 'Secret'} ${ref.name} ${values ? `has no key ${ref.key}` : 'does not exist'} (the container would not start)`,
      );
    }
    env.set(variable.name, text(value, at));
  }
  for (const name of addressEnv) {
    for (const [other, value] of env)
      if (value.includes(`$(${name})`))
        throw new Error(`${where}: ${other} refers to $(${name}), the pod's address, which the harness knows only when the pod starts`);
  }
  // The cluster's own variables come after, where the container does not set them.
  return { env: { ...platform, ...Object.fromEntries(env) }, addressEnv: [...addressEnv] };
}

/** The fieldRef paths of the downward API that the reader knows statically. */
function fieldValue(path: string, pod: PodFacts, where: string): string {
  const keyed = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(path);
  if (keyed) return (keyed[1] === 'labels' ? pod.labels : pod.annotations)[keyed[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.name;
    case 'metadata.namespace':
      return pod.namespace;
    case 'spec.serviceAccountName':
      return pod.serviceAccountName;
    default:
      throw new Error(
        `${where}: fieldRef ${path} is not one the harness knows (metadata.name, metadata.namespace, metadata.labels['…'], metadata.annotations['…'], spec.serviceAccountName, status.podIP)`,
      );
  }
}

function text(value: Buffer, where: string): string {
  const decoded = value.toString('utf8');
  if (!Buffer.from(decoded, 'utf8').equals(value)) throw new Error(`${where}: a value that is not UTF-8 text, which the harness cannot put in an environment`);
  return decoded;
}
