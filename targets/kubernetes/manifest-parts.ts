import type { DerivedName } from '../../compiler/names.ts';
import type { TargetManifest, TargetSupport } from '../../compiler/targets/manifest.ts';

/**
 * What every Kubernetes target (kubernetes, eks) declares alike: what a
 * cluster runs, the codes of the shared layer's checks, and the names it
 * derives. Light: the manifests import it, not the render code.
 */
export const CLUSTER_SUPPORTS: TargetSupport = {
  executors: ['LocalExecutor', 'CeleryExecutor', 'KubernetesExecutor'],
  dagSources: ['image', 'git', 's3'],
  why: { path: 'pods run elsewhere than the machine that builds' },
};

export const CLUSTER_CODES: NonNullable<TargetManifest['codes']> = {
  AFC3401: { title: 'DAG source not possible in a cluster', replacedBy: 'AFC2022' },
  AFC3404: { title: 'external secrets store missing' },
  AFC3405: { title: 'secret not in SSM' },
  AFC3406: { title: 'task logs lost' },
  AFC3409: { title: 'in-cluster Redis without a password' },
  AFC3410: { title: 'text kustomize cannot write' },
  AFC3411: { title: 'ConfigMap or Secret over the Kubernetes limit' },
  AFC3412: { title: 'annotations over the Kubernetes limit' },
};

// Kubernetes object names are DNS labels; the DAG processor's Deployment has the longest fixed suffix (the Jobs' names
// end in an 8-character digest but still fit, as `name` has at most 40 characters).
export const CLUSTER_DERIVED_NAMES: readonly DerivedName[] = [{ resource: 'Kubernetes Deployment', suffix: '-dag-processor', limit: 63 }];
