import { join } from 'node:path';
import type { DeploymentPlan, PodPlan } from '../plan.ts';
import type { ReaderContext } from './index.ts';
import { KubernetesApiServer } from './kubernetes/api-server.ts';
import { ConfigData } from './kubernetes/config-data.ts';
import { scalerChecks } from './kubernetes/keda.ts';
import { namespaceOf, readManifests } from './kubernetes/manifests.ts';
import { podPlan, type Cluster } from './kubernetes/pods.ts';
import { Rbac } from './kubernetes/rbac.ts';
import { ServiceAccounts } from './kubernetes/service-accounts.ts';
import { serviceNames, userInterface } from './kubernetes/services.ts';
import { declaredClaims, WORKLOAD_KINDS, workloadPods } from './kubernetes/workloads.ts';

/** Kinds that are inputs of others (read where they are used) or that change nothing the harness runs. */
const PASSIVE_KINDS = new Set([
  'ConfigMap',
  'Secret',
  'ExternalSecret',
  'Service',
  'Ingress',
  'PersistentVolumeClaim',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  // Scheduling, disruption and network policy: no effect on what runs on one machine.
  'PodDisruptionBudget',
  'NetworkPolicy',
  // KEDA: its minimum replica count is read with the workload it scales, its query checked (keda.ts).
  'ScaledObject',
]);

const RESTART: Record<string, PodPlan['restart']> = { Always: 'always', OnFailure: 'on-failure', Never: 'never' };

/**
 * Reads a Kubernetes output (the eks target and the AWS-free `kubernetes` target)
 * as `kubectl apply -k` and the cluster's controllers make it run: every
 * object of kustomization.yaml's resources; the Secrets that External
 * Secrets Operator writes from SSM; the pods of Deployments, StatefulSets
 * and Jobs; Services as cluster DNS names; the UI behind the Ingress; and
 * an API server (api-server.ts) with the output's ServiceAccounts and RBAC,
 * whose address and token every pod gets as in a cluster, and which runs
 * the pods a KubernetesExecutor asks it for.
 */
export async function readKubernetes(dir: string, context: ReaderContext): Promise<DeploymentPlan> {
  const manifests = readManifests(dir);
  for (const m of manifests) {
    if (!WORKLOAD_KINDS.has(m.kind) && !PASSIVE_KINDS.has(m.kind)) throw new Error(`${m.source}: the harness does not know what a ${m.kind} does`);
  }
  const namespace = namespaceOf(manifests);
  const accounts = new ServiceAccounts(manifests, namespace, context.certificates.ca, join(context.runDir, 'kubernetes', 'service-accounts'));
  const tls = await context.certificates.issue('kubernetes-api', [
    context.hostAddress,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
  ]);
  const cluster: Cluster = {
    namespace,
    data: new ConfigData(manifests, context.ssm),
    storage: { runDir: context.runDir, claims: declaredClaims(manifests) },
    platformEnv: {},
    serviceAccountMounts: (account, automount, where) => accounts.mounts(account, automount, where),
  };
  const api = new KubernetesApiServer({
    address: context.hostAddress,
    port: 443,
    namespace,
    tls,
    accounts,
    rbac: new Rbac(manifests, namespace),
    plan: (name, template, restartPolicy) => {
      const restart = RESTART[restartPolicy];
      if (!restart) throw new Error(`restartPolicy ${restartPolicy}`);
      return podPlan(name, template, cluster, { restart, runsToCompletion: restart !== 'always', where: `Pod/${name} (created through the API)` });
    },
  });
  cluster.platformEnv = api.environment();
  const pods = workloadPods(manifests, cluster);
  scalerChecks(manifests, pods);
  const backends = serviceNames(manifests, pods, namespace);
  return { pods: pods.map((p) => p.plan), ...userInterface(manifests, backends), services: [api] };
}
