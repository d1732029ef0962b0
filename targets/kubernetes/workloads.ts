import type {
  V1Affinity,
  V1Container,
  V1ContainerPort,
  V1Deployment,
  V1PodDisruptionBudget,
  V1Probe,
  V1Service,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { AirflowComponent, HttpCheck, Role } from '../../compiler/airflow/components.ts';
import type { Resources } from '../../compiler/normalize/model.ts';
import type { Setting } from '../../compiler/airflow/settings.ts';
import { metadata, names, resources, selector } from './cluster.ts';
import { airflowContainer, airflowPod, PROBE_TIMING, type AirflowPods } from './pods.ts';

export type K8sObject = { apiVersion?: string; kind?: string; metadata?: { name?: string } };

export const WEB_PORT_NAME = 'http';

function deployment(pods: AirflowPods, component: string, r: Resources, template: ReturnType<typeof airflowPod>): V1Deployment {
  const { model, settings } = pods;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(model, settings, names(model).of(component), component),
    spec: { replicas: r.replicas, selector: { matchLabels: selector(model, component) }, template },
  };
}

/** A PodDisruptionBudget where there is more than one replica to protect. */
function budget(pods: AirflowPods, component: string, replicas: number): V1PodDisruptionBudget[] {
  if (replicas <= 1) return [];
  const { model, settings } = pods;
  return [
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(model, settings, names(model).of(component), component),
      spec: { maxUnavailable: 1, selector: { matchLabels: selector(model, component) } },
    },
  ];
}

function service(pods: AirflowPods, component: string, port: number): V1Service {
  const { model, settings } = pods;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(model, settings, names(model).of(component), component),
    spec: { type: 'ClusterIP', selector: selector(model, component), ports: [{ name: WEB_PORT_NAME, port, targetPort: WEB_PORT_NAME, protocol: 'TCP' }] },
  };
}

/** The Helm chart's probe timings per component (docs/airflow-facts.md); which probes a component gets follows them. */
const TIMING: Record<Role, { liveness: Partial<V1Probe>; readiness?: Partial<V1Probe>; startup?: Partial<V1Probe> }> = {
  web: { liveness: PROBE_TIMING.http, readiness: PROBE_TIMING.http, startup: PROBE_TIMING.startup },
  scheduler: { liveness: PROBE_TIMING.jobLiveness, startup: PROBE_TIMING.startup },
  'dag-processor': { liveness: PROBE_TIMING.jobLiveness },
  triggerer: { liveness: PROBE_TIMING.jobLiveness },
  worker: { liveness: PROBE_TIMING.jobLiveness },
  flower: { liveness: PROBE_TIMING.flower, readiness: PROBE_TIMING.flower },
};

/** An HTTP check against the container's named web port where it is that port. */
function httpProbe(component: AirflowComponent, check: HttpCheck): V1Probe {
  return { httpGet: { path: check.path, port: check.port === component.ports.http ? WEB_PORT_NAME : check.port, scheme: 'HTTP' } };
}

/** As the Helm chart probes: a command where the component has one, HTTP otherwise. */
function probes(component: AirflowComponent): Pick<V1Container, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> {
  const { http, command } = component.liveness;
  const alive: V1Probe = command ? { exec: { command: ['sh', '-c', command.probe] } } : httpProbe(component, http!);
  const timing = TIMING[component.role];
  const ready = component.readiness && timing.readiness ? { ...httpProbe(component, component.readiness), ...timing.readiness } : undefined;
  return {
    livenessProbe: { ...alive, ...timing.liveness },
    ...(ready ? { readinessProbe: ready } : {}),
    ...(timing.startup ? { startupProbe: { ...alive, ...timing.startup } } : {}),
  };
}

function containerPorts(component: AirflowComponent): V1ContainerPort[] | undefined {
  const { http, logs } = component.ports;
  if (http) return [{ name: WEB_PORT_NAME, containerPort: http, protocol: 'TCP' }];
  // The UI reads a running task's log here, at the pod IP the component recorded (addressByIp).
  if (logs) return [{ name: `${logs.of}-logs`, containerPort: logs.port, protocol: 'TCP' }];
  return undefined;
}

/**
 * Replicas of one component on different nodes where the cluster can, as the
 * Helm chart places each of its Deployments by default (a preferred pod
 * anti-affinity of weight 100 on the node's hostname): one node's loss then
 * does not take every api-server or scheduler at once. Preferred, not
 * required, so a one-node cluster still runs them all. Only where there are
 * several replicas (or an autoscaler may make several).
 */
function spread(pods: AirflowPods, component: AirflowComponent): V1Affinity | undefined {
  const scaled = component.role === 'worker' && pods.model.components.workers?.autoscaling !== undefined;
  if (component.resources.replicas <= 1 && !scaled) return undefined;
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: { labelSelector: { matchLabels: selector(pods.model, component.name) }, topologyKey: 'kubernetes.io/hostname' },
        },
      ],
    },
  };
}

/**
 * A component's Deployment, with a Service where it serves HTTP, a
 * PodDisruptionBudget where it has replicas to protect, and its replicas
 * spread over nodes.
 */
function workload(
  pods: AirflowPods,
  component: AirflowComponent,
  extra: { volumes?: V1Volume[]; mounts?: V1VolumeMount[]; serviceAccount?: string; scoped?: Setting[] } = {},
) {
  const main = airflowContainer(
    pods,
    component.name,
    component.args,
    component,
    {
      ports: containerPorts(component),
      resources: resources(component.resources),
      ...probes(component),
      env: component.environment.length ? component.environment : undefined,
      volumeMounts: extra.mounts,
    },
    extra.scoped,
  );
  const template = airflowPod(pods, {
    component: component.name,
    main,
    serviceAccount: extra.serviceAccount,
    dags: component.dags,
    waitForMigrations: true,
    terminationGracePeriodSeconds: component.stopGraceSeconds,
    volumes: extra.volumes,
    affinity: spread(pods, component),
  });
  const published = component.ports.published;
  return {
    deployment: deployment(pods, component.name, component.resources, template),
    rest: [...(published ? [service(pods, component.name, published)] : []), ...budget(pods, component.name, component.resources.replicas)],
  };
}

const find = (pods: AirflowPods, role: Role) => pods.catalogue.components.find((c) => c.role === role);

/** The objects of the component in `role`, none when it does not run. */
function objectsOf(pods: AirflowPods, role: Role, extra: Parameters<typeof workload>[2] = {}): K8sObject[] {
  const component = find(pods, role);
  if (!component) return [];
  const w = workload(pods, component, extra);
  return [w.deployment, ...w.rest];
}

/** The UI: webserver (Airflow 2) or api-server (Airflow 3), with a Service. */
export const web = (pods: AirflowPods) => objectsOf(pods, 'web', { serviceAccount: pods.serviceAccounts.web });

export const scheduler = (pods: AirflowPods, extra: { volumes?: V1Volume[]; mounts?: V1VolumeMount[] } = {}) =>
  objectsOf(pods, 'scheduler', { ...extra, serviceAccount: pods.serviceAccounts.scheduler });

export const dagProcessor = (pods: AirflowPods) => objectsOf(pods, 'dag-processor');

export const triggerer = (pods: AirflowPods) => objectsOf(pods, 'triggerer');

/** Flower has no login: a ClusterIP Service only (kubectl port-forward to use it). */
export const flower = (pods: AirflowPods) => objectsOf(pods, 'flower');

/** The secret key of the worker environment that KEDA's PostgreSQL scaler connects with. */
export const KEDA_DB_CONN = 'KEDA_DB_CONN';

/**
 * Celery workers: a Deployment whose pods get 600 s to finish running tasks
 * on shutdown (Celery's warm shutdown), scaled by KEDA on the number of
 * queued and running tasks, as the Helm chart does.
 */
export function workers(pods: AirflowPods): K8sObject[] {
  const { model, settings } = pods;
  const c = find(pods, 'worker');
  const w = model.components.workers;
  if (!c || !w) return [];
  const { deployment: workerDeployment, rest } = workload(pods, c, {
    serviceAccount: pods.serviceAccounts.tasks,
    ...(pods.workerScoped ? { scoped: pods.workerScoped } : {}),
  });
  // KEDA owns the count: a replicas field would reset it on every apply (or GitOps sync).
  if (w.autoscaling) delete workerDeployment.spec!.replicas;
  const objects: K8sObject[] = [workerDeployment, ...rest];
  if (w.autoscaling) {
    const queues = w.queues.map((q) => `'${q.replace(/'/g, "''")}'`).join(', ');
    const scaled: IScaledObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: names(model).of('worker'), namespace: settings.namespace, labels: metadata(model, settings, '', 'worker').labels ?? {} },
      spec: {
        scaleTargetRef: { name: names(model).of('worker') },
        minReplicaCount: w.autoscaling.min,
        maxReplicaCount: w.autoscaling.max,
        pollingInterval: 5,
        cooldownPeriod: 30,
        triggers: [
          {
            type: 'postgresql',
            metadata: {
              // One worker per `concurrency` queued or running tasks of its queues.
              query: `SELECT ceil(COUNT(*)::decimal / ${w.concurrency}) FROM task_instance WHERE (state='running' OR state='queued') AND queue IN (${queues})`,
              targetQueryValue: '1',
              connectionFromEnv: KEDA_DB_CONN,
            },
          },
        ],
      },
    };
    objects.push(scaled);
  }
  return objects;
}
