import type { TargetManifest } from '../../compiler/targets/manifest.ts';
import { CLUSTER_CODES, CLUSTER_DERIVED_NAMES, CLUSTER_SUPPORTS } from '../kubernetes/manifest-parts.ts';

/** The eks target as afc knows it before loading it. */
export const eksManifest: TargetManifest = {
  name: 'eks',
  description: 'Kubernetes manifests for EKS (ALB ingress, IRSA, External Secrets)',
  settingsKey: 'eks',
  supports: CLUSTER_SUPPORTS,
  codes: {
    ...CLUSTER_CODES,
    AFC3402: { title: 'managed database on eks' },
    AFC3407: { title: 'no IAM role for the pods' },
  },
  derivedNames: CLUSTER_DERIVED_NAMES,
};
