import { clusterTarget } from './backend.ts';
import { clusterSettings } from './cluster.ts';
import { kubernetesManifest } from './manifest.ts';
import { ingress } from './network.ts';

/** Kubernetes manifests for any cluster, without the AWS-specific parts. */
export const kubernetesTarget = clusterTarget({
  manifest: kubernetesManifest,
  settings: (model) => clusterSettings(model.targets.kubernetes),
  check(model, ctx) {
    if (model.database.kind === 'managed')
      ctx.report(
        'warning',
        'AFC3403',
        ['database', 'managed'],
        'the kubernetes target runs Postgres in the cluster, with one replica and no backups: for development only',
        'use database.external for anything that matters',
      );
    if (model.network.tls)
      ctx.report(
        'warning',
        'AFC3408',
        ['network', 'tls'],
        'the kubernetes target ignores network.tls: an ACM certificate is for AWS load balancers',
        'terminate TLS in your ingress controller',
      );
  },
  // Without a class or a host name there is nothing for an ingress controller to route.
  ingress: (model, settings) => (settings.ingress.className || model.network.hostname ? ingress(model, settings, {}) : []),
  // The Ingress has no TLS section (network.tls is an ACM certificate, which this target ignores).
  uiScheme: () => 'http',
});
export default kubernetesTarget;
