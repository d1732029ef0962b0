import { kubernetesBackend } from './backend.ts';

/** Kubernetes manifests for any cluster, without the AWS-specific parts. */
export const kubernetesTarget = kubernetesBackend('kubernetes', 'Kubernetes manifests for any cluster');
export default kubernetesTarget;
