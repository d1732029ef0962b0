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
  /** Every pod without a need for the Kubernetes API, task pods (user code) included. */
  base: string;
  scheduler: string;
  web: string;
}

/**
 * With KubernetesExecutor, the scheduler may launch pods and the UI may read
 * them (the logs of running task pods); every other pod, task pods
 * included, runs as the base account, which has no Kubernetes rights.
 * Without it, every pod runs as the base account.
 */
export function serviceAccountNames(model: Model): ServiceAccounts {
  const n = names(model);
  return isKubernetesExecutor(model)
    ? { base: n.serviceAccount, scheduler: n.schedulerServiceAccount, web: n.webServiceAccount }
    : { base: n.serviceAccount, scheduler: n.serviceAccount, web: n.serviceAccount };
}

/** The ServiceAccounts and their Roles. Each account carries the platform's annotations (an IAM role on EKS): all of them read or write remote logs. */
export function rbac(model: Model, settings: ClusterSettings): (V1ServiceAccount | V1Role | V1RoleBinding)[] {
  const n = names(model);
  const account = (name: string, component: string): V1ServiceAccount => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(model, settings, name, component, annotated(settings.serviceAccountAnnotations)),
  });
  if (!isKubernetesExecutor(model)) return [account(n.serviceAccount, 'airflow')];
  const accounts = serviceAccountNames(model);
  return [
    account(accounts.base, 'airflow'),
    account(accounts.scheduler, 'scheduler'),
    account(accounts.web, model.facts.web.component),
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
  ];
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
 * environment, secrets, DAGs and security context as every component.
 */
export function podTemplate(pods: AirflowPods): V1ConfigMap {
  const { model, settings } = pods;
  const base = airflowContainer(pods, 'base', []);
  delete base.args;
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'placeholder-name',
      labels: { 'app.kubernetes.io/instance': model.name, 'app.kubernetes.io/name': 'airflow', 'app.kubernetes.io/component': 'task' },
    },
    spec: {
      serviceAccountName: pods.serviceAccounts.base,
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
