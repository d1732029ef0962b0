import { kubernetesBackend } from '../kubernetes/backend.ts';
import { eksManifest } from './manifest.ts';

/** Kubernetes manifests for EKS: the kubernetes backend plus ALB ingress annotations and IRSA. */
export const eksTarget = kubernetesBackend('eks', eksManifest);
export default eksTarget;
