import { kubernetesBackend } from '../kubernetes/backend.ts';

/** Kubernetes manifests for EKS: the kubernetes backend plus ALB ingress annotations and IRSA. */
export const eksTarget = kubernetesBackend('eks', 'Kubernetes manifests for EKS (ALB ingress, IRSA, External Secrets)');
export default eksTarget;
