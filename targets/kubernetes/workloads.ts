import type { V1ContainerPort, V1Deployment, V1PodDisruptionBudget, V1Probe, V1Service, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { Model, Resources } from '../../compiler/normalize/model.ts';
import { metadata, names, resources, selector } from './cluster.ts';
import { airflowContainer, airflowPod, jobCheckProbe, PROBE_TIMING, type AirflowPods } from './pods.ts';

export type K8sObject = { apiVersion?: string; kind?: string; metadata?: { name?: string } };

export const WEB_PORT_NAME = 'http';

/** A log server's port: the UI reads a running task's log there, at the pod IP the component recorded (addressByIp). */
const logPort = (model: Model, server: 'task' | 'triggerer'): V1ContainerPort => ({
  name: `${server}-logs`,
  containerPort: model.facts.logServerPorts[server],
  protocol: 'TCP',
});

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

/** The UI: webserver (Airflow 2) or api-server (Airflow 3), with a Service. */
export function web(pods: AirflowPods): K8sObject[] {
  const { model } = pods;
  const w = model.components.webserver;
  const component = model.facts.web.component;
  const http = { httpGet: { path: model.facts.web.healthPath, port: WEB_PORT_NAME, scheme: 'HTTP' } } satisfies V1Probe;
  const main = airflowContainer(pods, component, model.facts.web.command, {
    ports: [{ name: WEB_PORT_NAME, containerPort: w.port, protocol: 'TCP' }],
    resources: resources(w),
    livenessProbe: { ...http, ...PROBE_TIMING.http },
    readinessProbe: { ...http, ...PROBE_TIMING.http },
    startupProbe: { ...http, ...PROBE_TIMING.startup },
    env: w.port !== 8080 ? [{ name: model.facts.major >= 3 ? 'AIRFLOW__API__PORT' : 'AIRFLOW__WEBSERVER__WEB_SERVER_PORT', value: String(w.port) }] : undefined,
  });
  // The UI reads serialized DAGs from the database: no DAG files.
  const template = airflowPod(pods, {
    component,
    main,
    serviceAccount: pods.serviceAccounts.web,
    dags: false,
    waitForMigrations: true,
    terminationGracePeriodSeconds: 30,
  });
  return [deployment(pods, component, w, template), service(pods, component, w.port), ...budget(pods, component, w.replicas)];
}

export function scheduler(pods: AirflowPods, extra: { volumes?: V1Volume[]; mounts?: V1VolumeMount[] } = {}): K8sObject[] {
  const { model } = pods;
  const s = model.components.scheduler;
  const main = airflowContainer(pods, 'scheduler', ['scheduler'], {
    // LocalExecutor runs tasks in the scheduler, which serves their logs.
    ports: model.airflow.executor === 'LocalExecutor' ? [logPort(model, 'task')] : undefined,
    resources: resources(s),
    livenessProbe: jobCheckProbe(model.facts.jobTypes.scheduler, PROBE_TIMING.jobLiveness),
    startupProbe: jobCheckProbe(model.facts.jobTypes.scheduler, PROBE_TIMING.startup),
    volumeMounts: extra.mounts,
  });
  const template = airflowPod(pods, {
    component: 'scheduler',
    main,
    serviceAccount: pods.serviceAccounts.scheduler,
    dags: true,
    waitForMigrations: true,
    terminationGracePeriodSeconds: 10,
    volumes: extra.volumes,
  });
  return [deployment(pods, 'scheduler', s, template), ...budget(pods, 'scheduler', s.replicas)];
}

export function dagProcessor(pods: AirflowPods): K8sObject[] {
  const { model } = pods;
  if (!model.facts.standaloneDagProcessor) return [];
  const d = model.components.dagProcessor;
  const main = airflowContainer(pods, 'dag-processor', ['dag-processor'], {
    resources: resources(d),
    livenessProbe: jobCheckProbe(model.facts.jobTypes.dagProcessor, PROBE_TIMING.jobLiveness),
  });
  const template = airflowPod(pods, { component: 'dag-processor', main, dags: true, waitForMigrations: true, terminationGracePeriodSeconds: 60 });
  return [deployment(pods, 'dag-processor', d, template), ...budget(pods, 'dag-processor', d.replicas)];
}

export function triggerer(pods: AirflowPods): K8sObject[] {
  const { model } = pods;
  const t = model.components.triggerer;
  if (t.replicas === 0) return [];
  const main = airflowContainer(pods, 'triggerer', ['triggerer'], {
    ports: [logPort(model, 'triggerer')],
    resources: resources(t),
    livenessProbe: jobCheckProbe(model.facts.jobTypes.triggerer, PROBE_TIMING.jobLiveness),
  });
  const template = airflowPod(pods, { component: 'triggerer', main, dags: true, waitForMigrations: true, terminationGracePeriodSeconds: 60 });
  return [deployment(pods, 'triggerer', t, template), ...budget(pods, 'triggerer', t.replicas)];
}

/** The secret key of the worker environment that KEDA's PostgreSQL scaler connects with. */
export const KEDA_DB_CONN = 'KEDA_DB_CONN';

/**
 * Celery workers: a Deployment whose pods get 600 s to finish running tasks
 * on shutdown (Celery's warm shutdown), scaled by KEDA on the number of
 * queued and running tasks, as the Helm chart does.
 */
export function workers(pods: AirflowPods): K8sObject[] {
  const { model, settings } = pods;
  const w = model.components.workers;
  if (!w) return [];
  const main = airflowContainer(pods, 'worker', ['celery', 'worker', '--queues', w.queues.join(',')], {
    ports: [logPort(model, 'task')],
    resources: resources(w),
    env: [{ name: 'DUMB_INIT_SETSID', value: '0' }],
    livenessProbe: {
      exec: {
        command: [
          'sh',
          '-c',
          `CONNECTION_CHECK_MAX_COUNT=0 exec /entrypoint python -m celery --app ${model.facts.celeryApp} inspect ping -d celery@$(hostname)`,
        ],
      },
      ...PROBE_TIMING.jobLiveness,
    },
  });
  const template = airflowPod(pods, { component: 'worker', main, dags: true, waitForMigrations: true, terminationGracePeriodSeconds: 600 });
  const workerDeployment = deployment(pods, 'worker', w, template);
  // KEDA owns the count: a replicas field would reset it on every apply (or GitOps sync).
  if (w.autoscaling) delete workerDeployment.spec!.replicas;
  const objects: K8sObject[] = [workerDeployment, ...budget(pods, 'worker', w.replicas)];
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

export function flower(pods: AirflowPods): K8sObject[] {
  const { model } = pods;
  const f = model.components.flower;
  if (!f) return [];
  const http = { httpGet: { path: '/', port: WEB_PORT_NAME, scheme: 'HTTP' } } satisfies V1Probe;
  const main = airflowContainer(pods, 'flower', ['celery', 'flower'], {
    ports: [{ name: WEB_PORT_NAME, containerPort: 5555, protocol: 'TCP' }],
    resources: resources(f),
    livenessProbe: { ...http, initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 10 },
    readinessProbe: { ...http, initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 10 },
  });
  const template = airflowPod(pods, { component: 'flower', main, dags: false, waitForMigrations: true });
  // Flower has no login: a ClusterIP Service only (kubectl port-forward to use it).
  return [deployment(pods, 'flower', { ...f, replicas: 1 }, template), service(pods, 'flower', f.port)];
}
