import type { V1ConfigMap, V1Pod, V1Role, V1RoleBinding, V1ServiceAccount } from '@kubernetes/client-node';
import { toYaml } from '../../compiler/emit/yaml.ts';
import { metadata, names, POD_SECURITY, type ClusterSettings } from './cluster.ts';
import { airflowContainer, type AirflowPods } from './pods.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { kubernetesKeyOrder } from './key-order.ts';

export const POD_TEMPLATE_DIR = '/opt/airflow/pod_templates';
export const POD_TEMPLATE_FILE = 'pod_template_file.yaml';

/** The one ServiceAccount of every Airflow pod; on eks it carries the IAM role (IRSA). */
export function serviceAccount(model: Model, settings: ClusterSettings): V1ServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(model, settings, names(model).serviceAccount, 'airflow', settings.roleArn ? { annotations: { 'eks.amazonaws.com/role-arn': settings.roleArn } } : {}),
  };
}

/**
 * What KubernetesExecutor needs, and no more: start, watch and delete task
 * pods, and read their logs (the scheduler runs them; the UI shows the logs).
 */
export function podLauncherRbac(model: Model, settings: ClusterSettings): [V1Role, V1RoleBinding] {
  const n = names(model);
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: metadata(model, settings, n.podLauncher, 'rbac'),
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: metadata(model, settings, n.podLauncher, 'rbac'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: n.podLauncher },
      subjects: [{ kind: 'ServiceAccount', name: n.serviceAccount, namespace: settings.namespace }],
    },
  ];
}

/**
 * The task pod: the container Airflow calls `base`, with the same image,
 * environment, secrets, DAGs and security context as every component.
 */
export function podTemplate(pods: AirflowPods): V1ConfigMap {
  const { model, settings } = pods;
  const base = airflowContainer(pods, 'base', ['version']);
  delete base.args;
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'placeholder-name', labels: { 'app.kubernetes.io/instance': model.name, 'app.kubernetes.io/name': 'airflow', 'app.kubernetes.io/component': 'task' } },
    spec: {
      serviceAccountName: pods.serviceAccount,
      securityContext: POD_SECURITY,
      restartPolicy: 'Never',
      ...(pods.dags.init ? { initContainers: [pods.dags.init] } : {}),
      containers: [base],
      volumes: [{ name: 'logs', emptyDir: {} }, ...pods.dags.volumes],
    },
  };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(model, settings, names(model).podTemplate, 'scheduler'),
    data: { [POD_TEMPLATE_FILE]: toYaml(pod, { keyOrder: kubernetesKeyOrder }) },
  };
}
