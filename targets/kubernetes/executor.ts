import type { V1ConfigMap, V1Pod, V1PolicyRule, V1Role, V1RoleBinding, V1ServiceAccount } from '@kubernetes/client-node';
import { POD_TEMPLATE } from '../../compiler/airflow/image.ts';
import { toYaml } from '../../compiler/emit/yaml.ts';
import { annotated, metadata, names, POD_SECURITY, type ClusterSettings } from './cluster.ts';
import { airflowContainer, type AirflowPods } from './pods.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { isKubernetesExecutor } from './jobs.ts';
import { kubernetesKeyOrder } from './key-order.ts';

/** Which ServiceAccount each pod runs as. */
export interface ServiceAccounts {
  /** Every pod without a need for the Kubernetes API. */
  base: string;
  scheduler: string;
  web: string;
  /** What runs task code: Celery workers, KubernetesExecutor task pods, the scheduler with LocalExecutor. */
  tasks: string;
}

/**
 * With KubernetesExecutor, the scheduler may launch pods and the UI may read
 * them (the logs of running task pods). Where tasks may launch pods
 * (`allowPodLaunching`), what runs them has an account of its own with that
 * right: `<name>-worker` (Celery workers, task pods), or the scheduler's
 * with LocalExecutor, which runs tasks itself. Every other pod runs as the
 * base account, which has no Kubernetes rights.
 */
export function serviceAccountNames(model: Model, settings: ClusterSettings): ServiceAccounts {
  const n = names(model);
  const kubernetes = isKubernetesExecutor(model);
  const local = model.airflow.executor === 'LocalExecutor';
  const launch = settings.allowPodLaunching;
  const scheduler = kubernetes || (local && launch) ? n.schedulerServiceAccount : n.serviceAccount;
  return {
    base: n.serviceAccount,
    scheduler,
    web: kubernetes ? n.webServiceAccount : n.serviceAccount,
    tasks: !launch ? n.serviceAccount : local ? scheduler : n.workerServiceAccount,
  };
}

/**
 * What a task may do when it launches pods, as the Helm chart's
 * pod-launcher Role grants (KubernetesPodOperator creates, watches, reads
 * the log of, execs into and deletes its pod, and lists events to report
 * why a pod does not start). Source: docs/airflow-facts.md §8d.
 */
const TASK_POD_RULES: V1PolicyRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] },
  { apiGroups: [''], resources: ['events'], verbs: ['list'] },
];

/** The ServiceAccounts and their Roles. Each account carries the platform's annotations (an IAM role on EKS): all of them read or write remote logs. */
export function rbac(model: Model, settings: ClusterSettings): (V1ServiceAccount | V1Role | V1RoleBinding)[] {
  const n = names(model);
  const account = (name: string, component: string): V1ServiceAccount => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(model, settings, name, component, annotated(settings.serviceAccountAnnotations)),
  });
  const accounts = serviceAccountNames(model, settings);
  const objects: (V1ServiceAccount | V1Role | V1RoleBinding)[] = [];
  const made = new Set<string>();
  for (const [name, component] of [
    [accounts.base, 'airflow'],
    [accounts.scheduler, 'scheduler'],
    [accounts.web, model.facts.web.component],
    [accounts.tasks, 'worker'],
  ] as const) {
    if (made.has(name)) continue;
    made.add(name);
    objects.push(account(name, component));
  }
  if (isKubernetesExecutor(model))
    objects.push(
      // Start, watch and delete task pods, and read their logs.
      ...role(model, settings, n.podLauncher, accounts.scheduler, [
        { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list'] },
      ]),
      // Find a running task's pod and read its log, for the UI.
      ...role(model, settings, n.podLogReader, accounts.web, [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      ]),
    );
  if (settings.allowPodLaunching) objects.push(...role(model, settings, n.taskPodLauncher, accounts.tasks, TASK_POD_RULES));
  return objects;
}

function role(model: Model, settings: ClusterSettings, name: string, serviceAccount: string, rules: V1PolicyRule[]): [V1Role, V1RoleBinding] {
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: metadata(model, settings, name, 'rbac'), rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: metadata(model, settings, name, 'rbac'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace: settings.namespace }],
    },
  ];
}

/**
 * The task pod: the container Airflow calls `base`, with the same image,
 * shared settings, DAGs and security context as every component, and only
 * the secrets the catalogue gives a task pod (never the JWT secret).
 */
export function podTemplate(pods: AirflowPods): V1ConfigMap {
  const { model, settings } = pods;
  const task = pods.catalogue.taskPod;
  if (!task) throw new Error('kubernetes: a pod template without KubernetesExecutor');
  const base = airflowContainer(pods, 'base', [], task, { env: task.environment.length ? task.environment : undefined });
  delete base.args;
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'placeholder-name',
      labels: { 'app.kubernetes.io/instance': model.name, 'app.kubernetes.io/name': 'airflow', 'app.kubernetes.io/component': 'task' },
    },
    spec: {
      serviceAccountName: pods.serviceAccounts.tasks,
      securityContext: POD_SECURITY,
      restartPolicy: 'Never',
      initContainers: pods.dags.init ? [pods.dags.init] : undefined,
      containers: [base],
      volumes: [{ name: 'logs', emptyDir: {} }, ...pods.dags.volumes],
    },
  };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(model, settings, names(model).podTemplate, 'scheduler'),
    data: { [POD_TEMPLATE.file]: toYaml(pod, { keyOrder: kubernetesKeyOrder }) },
  };
}
