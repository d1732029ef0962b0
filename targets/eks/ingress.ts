import { airflowCatalogue } from '../../compiler/airflow/components.ts';
import { loadBalancerScheme } from '../../compiler/aws/load-balancer-scheme.ts';
import type { Model } from '../../compiler/normalize/model.ts';

/**
 * The AWS Load Balancer Controller's annotations of the UI's Ingress: IP
 * targets, the UI's health path, HTTPS with the ACM certificate (HTTP
 * redirected), and only `network.allowedCidrs` let in; an internal load
 * balancer unless an allowed range reaches beyond the private address ranges.
 */
export function albAnnotations(model: Model): Record<string, string> {
  const tls = model.network.tls;
  return {
    'alb.ingress.kubernetes.io/scheme': loadBalancerScheme(model.network.allowedCidrs),
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/healthcheck-path': airflowCatalogue(model).web.readiness!.path,
    'alb.ingress.kubernetes.io/listen-ports': tls ? '[{"HTTP": 80}, {"HTTPS": 443}]' : '[{"HTTP": 80}]',
    ...(tls ? { 'alb.ingress.kubernetes.io/certificate-arn': tls.certificateArn, 'alb.ingress.kubernetes.io/ssl-redirect': '443' } : {}),
    ...(model.network.allowedCidrs.length > 0 ? { 'alb.ingress.kubernetes.io/inbound-cidrs': model.network.allowedCidrs.join(',') } : {}),
  };
}
