import type { V1Ingress, V1IngressBackend, V1IngressSpec, V1NetworkPolicy } from '@kubernetes/client-node';
import type { Model } from '../../compiler/normalize/model.ts';
import { annotated, metadata, names, selector, type ClusterSettings } from './cluster.ts';
import { WEB_PORT_NAME } from './workloads.ts';

/**
 * The Ingress of the UI: the platform's annotations, then the spec's
 * `ingress.annotations` over them.
 */
export function ingress(model: Model, settings: ClusterSettings, platformAnnotations: Record<string, string>): V1Ingress[] {
  const annotations = { ...platformAnnotations, ...settings.ingress.annotations };
  const backend: V1IngressBackend = { service: { name: names(model).web, port: { name: WEB_PORT_NAME } } };
  const spec: V1IngressSpec = {
    ingressClassName: settings.ingress.className,
    rules: [{ host: model.network.hostname, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
  };
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: metadata(model, settings, names(model).web, model.facts.web.component, annotated(annotations)),
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
