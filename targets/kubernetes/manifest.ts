import type { TargetManifest } from '../../compiler/targets/manifest.ts';
import { CLUSTER_CODES, CLUSTER_DERIVED_NAMES, CLUSTER_SUPPORTS } from './manifest-parts.ts';

/** The kubernetes target as afc knows it before loading it. */
export const kubernetesManifest: TargetManifest = {
  name: 'kubernetes',
  description: 'Kubernetes manifests for any cluster',
  settingsKey: 'kubernetes',
  supports: CLUSTER_SUPPORTS,
  codes: {
    ...CLUSTER_CODES,
    AFC3403: { title: 'in-cluster database' },
    AFC3408: { title: 'setting ignored by the kubernetes target' },
  },
  derivedNames: CLUSTER_DERIVED_NAMES,
};
