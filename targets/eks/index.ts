import { clusterTarget } from '../kubernetes/backend.ts';
import { clusterSettings } from '../kubernetes/cluster.ts';
import { ingress } from '../kubernetes/network.ts';
import { albAnnotations } from './ingress.ts';
import { eksManifest } from './manifest.ts';

/**
 * Kubernetes manifests for EKS: the shared Kubernetes layer, with an ALB
 * ingress (class `alb` by default), the IAM role of the ServiceAccounts
 * (IRSA), and the metadata database on RDS.
 */
export const eksTarget = clusterTarget({
  manifest: eksManifest,
  settings(model) {
    const roleArn = model.targets.eks?.serviceAccount?.roleArn;
    return clusterSettings(model.targets.eks, {
      ingressClassName: 'alb',
      ...(roleArn ? { serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': roleArn } } : {}),
    });
  },
  check(model, ctx) {
    if (model.database.kind === 'managed')
      ctx.report(
        'error',
        'AFC3402',
        ['database', 'managed'],
        'eks does not run the metadata database: use RDS',
        'create an RDS PostgreSQL instance and set database.external { host, user, password: { ssm: … } }',
      );
    if (!model.targets.eks?.serviceAccount?.roleArn && (model.logging.remote || model.dags.kind === 's3'))
      ctx.report(
        'warning',
        'AFC3407',
        ['targets', 'eks'],
        'the pods need AWS access (remote logs or DAGs in S3) but no IAM role is set',
        'set targets.eks.serviceAccount.roleArn (IRSA)',
      );
  },
  ingress: (model, settings) => ingress(model, settings, albAnnotations(model)),
  // The ALB serves HTTPS with network.tls's certificate (and redirects HTTP to it).
  uiScheme: (model) => (model.network.tls ? 'https' : 'http'),
});
export default eksTarget;
