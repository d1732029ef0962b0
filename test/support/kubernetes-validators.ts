import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Pod, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { firstTool } from './tools.ts';

type ModelClass = new (data: never) => { validate(): void };

/** The kubernetes-models class of every kind afc writes; a kind not listed here fails validation. */
const MODELS: Record<string, ModelClass> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'v1/ConfigMap': ConfigMap,
  'v1/Pod': Pod,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'external-secrets.io/v1/ExternalSecret': ExternalSecret,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

/** Every document of a multi-document YAML file. */
export function manifests(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}

/** kubernetes-models' validate() on one object: undefined when valid, else why not. */
export function manifestProblem(object: Record<string, unknown>): string | undefined {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  const Model = MODELS[key];
  if (!Model) return `no kubernetes-models class for ${key}`;
  try {
    new Model(object as never).validate();
    return undefined;
  } catch (error) {
    return `${key} ${String((object.metadata as { name?: string })?.name)}: ${(error as Error).message}`;
  }
}

/**
 * Builds a kustomization folder: `kubectl kustomize DIR`, or `kustomize build
 * DIR` where kubectl is not installed (.ci/run builds kustomize then; kubectl
 * carries kustomize built in). Undefined without either.
 */
export function kustomizeBuild(): ((dir: string) => SpawnSyncReturns<string>) | undefined {
  const tool = firstTool(['kubectl', ['version', '--client']], ['kustomize', ['version']]);
  if (!tool) return undefined;
  return (dir) => spawnSync(tool, [tool === 'kubectl' ? 'kustomize' : 'build', dir], { encoding: 'utf8' });
}
