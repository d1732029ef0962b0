import type { V1Ingress, V1IngressBackend, V1IngressSpec, V1NetworkPolicy } from '@kubernetes/client-node';
import { airflowCatalogue } from '../../compiler/airflow/components.ts';
import { loadBalancerScheme } from '../../compiler/aws/load-balancer-scheme.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { metadata, names, selector, type ClusterSettings } from './cluster.ts';
import { WEB_PORT_NAME } from './workloads.ts';

/**
 * The Ingress of the UI. On eks, the AWS Load Balancer Controller's
 * annotations: IP targets, the UI's health path, HTTPS with the ACM
 * certificate (HTTP redirected), and only `network.allowedCidrs` let in; an
 * internal load balancer unless an allowed range reaches beyond the private
 * address ranges.
 */
export function ingress(model: Model, settings: ClusterSettings): V1Ingress[] {
  if (settings.flavour === 'kubernetes' && !settings.ingress.className && !model.network.hostname) return [];
  const annotations: Record<string, string> = {};
  if (settings.flavour === 'eks') {
    const tls = model.network.tls;
    Object.assign(annotations, {
      'alb.ingress.kubernetes.io/scheme': loadBalancerScheme(model.network.allowedCidrs),
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path': airflowCatalogue(model).web.readiness!.path,
      'alb.ingress.kubernetes.io/listen-ports': tls ? '[{"HTTP": 80}, {"HTTPS": 443}]' : '[{"HTTP": 80}]',
      ...(tls ? { 'alb.ingress.kubernetes.io/certificate-arn': tls.certificateArn, 'alb.ingress.kubernetes.io/ssl-redirect': '443' } : {}),
      ...(model.network.allowedCidrs.length > 0 ? { 'alb.ingress.kubernetes.io/inbound-cidrs': model.network.allowedCidrs.join(',') } : {}),
    });
  }
  Object.assign(annotations, settings.ingress.annotations);
  const backend: V1IngressBackend = { service: { name: names(model).web, port: { name: WEB_PORT_NAME } } };
  const spec: V1IngressSpec = {
    ingressClassName: settings.ingress.className,
    rules: [{ host: model.network.hostname, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
  };
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: metadata(model, settings, names(model).web, model.facts.web.component, Object.keys(annotations).length ? { annotations } : {}),
      spec,
    },
  ];
}

/**
 * The UI's pods accept traffic on their HTTP port only. No policy limits
 * what the UI reaches: it reads running tasks' logs from the workers' and the
 * triggerer's log servers.
 */
export function webNetworkPolicy(model: Model, settings: ClusterSettings): V1NetworkPolicy {
  const component = model.facts.web.component;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(model, settings, names(model).web, component),
    spec: {
      podSelector: { matchLabels: selector(model, component) },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: model.components.webserver.port, protocol: 'TCP' }] }],
    },
  };
}
