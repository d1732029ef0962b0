import { kubernetesBackend } from './backend.ts';
import { kubernetesManifest } from './manifest.ts';

/** Kubernetes manifests for any cluster, without the AWS-specific parts. */
export const kubernetesTarget = kubernetesBackend('kubernetes', kubernetesManifest);
export default kubernetesTarget;
