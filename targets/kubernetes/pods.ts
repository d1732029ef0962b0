import { envReference, literal } from './expansion.ts';
import type {
  V1Affinity,
  V1Container,
  V1EnvFromSource,
  V1EnvVar,
  V1PodSpec,
  V1PodTemplateSpec,
  V1Probe,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import { airflowArgv, type AirflowCatalogue, type SecretConsumer } from '../../compiler/airflow/components.ts';
import type { Setting } from '../../compiler/airflow/settings.ts';
import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { CONTAINER_SECURITY, labels, POD_SECURITY, type ClusterSettings } from './cluster.ts';
import type { PodDags } from './dags.ts';
import type { ServiceAccounts } from './executor.ts';

/** What every Airflow pod shares: image, environment, DAGs, service accounts, checksums. */
export interface AirflowPods {
  model: Model;
  catalogue: AirflowCatalogue;
  settings: ClusterSettings;
  serviceAccounts: ServiceAccounts;
  envFrom: V1EnvFromSource[];
  /** The scoped variables of a process (SecretWiring.env). */
  env: (consumer: SecretConsumer, extra?: readonly Setting[]) => V1EnvVar[];
  /** Scoped settings of the Celery workers' container only (KEDA's database connection). */
  workerScoped?: Setting[];
  dags: PodDags;
  /** Annotations that roll pods when configuration or secret references change. */
  checksums: Record<string, string>;
}

export const LOGS_MOUNT = OFFICIAL_IMAGE.logsFolder;

/**
 * An Airflow container: the image's entrypoint runs `airflow <args>` after
 * waiting for the database. It loads the shared settings, and gets the
 * scoped ones that `consumer` lists (`scoped`: more of them, for this
 * container only), then `extra.env`.
 */
export function airflowContainer(
  pods: AirflowPods,
  name: string,
  args: string[],
  consumer: SecretConsumer,
  extra: Partial<V1Container> = {},
  scoped: readonly Setting[] = [],
  references: readonly string[] = [],
): V1Container {
  const { model } = pods;
  const env = [...pods.env(consumer, scoped), ...(extra.env ?? [])];
  return {
    name,
    image: model.airflow.image.reference,
    imagePullPolicy: model.airflow.image.pullPolicy,
    args: [...airflowArgv(args).map(literal), ...references.map(envReference)],
    envFrom: pods.envFrom,
    ...extra,
    env: env.length ? env : undefined,
    volumeMounts: [{ name: 'logs', mountPath: LOGS_MOUNT }, ...pods.dags.mounts, ...(extra.volumeMounts ?? [])],
    securityContext: CONTAINER_SECURITY,
  };
}

/**
 * Waits until the migration Job has migrated the database to this version:
 * the ordering that Helm hooks give, without hooks, so kubectl apply, Argo CD
 * and Flux all work.
 */
export function waitForMigrations(pods: AirflowPods): V1Container {
  const { waitForMigrations: step } = pods.catalogue.steps;
  return airflowContainer(pods, 'wait-for-migrations', step.args, step, {
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  });
}

export interface PodOptions {
  component: string;
  main: V1Container;
  /** The base account unless this component needs Kubernetes rights. */
  serviceAccount?: string;
  /** Long-running pods keep DAGs current with a sidecar; jobs do not need DAGs at all. */
  dags: boolean;
  waitForMigrations: boolean;
  terminationGracePeriodSeconds?: number;
  volumes?: V1Volume[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** Where the scheduler should place the pods (the replicas of a component apart). */
  affinity?: V1Affinity;
}

export function airflowPod(pods: AirflowPods, options: PodOptions): V1PodTemplateSpec {
  const init: V1Container[] = [];
  if (options.waitForMigrations) init.push(waitForMigrations(pods));
  if (options.dags && pods.dags.init) init.push(pods.dags.init);
  const containers = [options.main, ...(options.dags && pods.dags.sidecar ? [pods.dags.sidecar] : [])];
  // Optional fields as undefined (the emitter leaves them out), not as spreads, which tsc does not check for misspelled names.
  const spec: V1PodSpec = {
    serviceAccountName: options.serviceAccount ?? pods.serviceAccounts.base,
    securityContext: POD_SECURITY,
    initContainers: init.length ? init : undefined,
    containers,
    volumes: [{ name: 'logs', emptyDir: {} }, ...(options.dags ? pods.dags.volumes : []), ...(options.volumes ?? [])],
    terminationGracePeriodSeconds: options.terminationGracePeriodSeconds,
    restartPolicy: options.restartPolicy,
    affinity: options.affinity,
  };
  if (!options.dags) {
    // A container without the DAG volume must not mount it.
    const drop = (c: V1Container): V1Container => ({ ...c, volumeMounts: (c.volumeMounts ?? []).filter((m: V1VolumeMount) => m.name !== 'dags') });
    spec.containers = spec.containers.map(drop);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map(drop);
  }
  return { metadata: { labels: labels(pods.model, options.component), annotations: pods.checksums }, spec };
}

/** The Helm chart's timings: its command checks are slow, so their periods and timeouts are generous. */
export const PROBE_TIMING = {
  jobLiveness: { initialDelaySeconds: 10, periodSeconds: 60, timeoutSeconds: 20, failureThreshold: 5 },
  startup: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 20, failureThreshold: 6 },
  http: { initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 5 },
  flower: { initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 10 },
} as const satisfies Record<string, Partial<V1Probe>>;
