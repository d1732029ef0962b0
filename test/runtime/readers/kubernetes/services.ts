import type { DeploymentPlan, PlatformCheck } from '../../plan.ts';
import { onlyFields, type Manifest } from './manifests.ts';
import { port } from './probes.ts';
import type { WorkloadPod } from './workloads.ts';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

/** A Service's pods and, per port, the container port behind it. */
interface Backend {
  pods: WorkloadPod[];
  ports: { name?: string; port: number; containerPort: number }[];
}

/**
 * Cluster DNS for the output's Services, on the harness's one hosts file
 * (translation.ts): `<svc>`, `<svc>.<ns>`, `<svc>.<ns>.svc` and
 * `<svc>.<ns>.svc.cluster.local` name the first pod the Service selects,
 * where Kubernetes gives a virtual address that spreads connections over
 * every ready pod. There is no proxy, so a Service port must be the port
 * its targetPort names; and a pod of a StatefulSet whose governing Service
 * is headless is also `<pod>.<svc>.<ns>.svc.cluster.local`.
 */
export function serviceNames(manifests: readonly Manifest[], pods: readonly WorkloadPod[], namespace: string): Map<string, Backend> {
  const backends = new Map<string, Backend>();
  for (const m of manifests) {
    if (m.kind !== 'Service') continue;
    const spec = m.spec ?? {};
    onlyFields(
      spec,
      ['selector', 'ports', 'type', 'clusterIP', 'sessionAffinity', 'publishNotReadyAddresses', 'ipFamilyPolicy', 'ipFamilies', 'internalTrafficPolicy'],
      `${m.source}: spec`,
    );
    if (spec.type !== undefined && spec.type !== 'ClusterIP')
      throw new Error(`${m.source}: type ${spec.type}: the harness runs ClusterIP Services (in-cluster names)`);
    const selector: Record<string, string> = spec.selector ?? {};
    if (!Object.keys(selector).length) throw new Error(`${m.source}: a Service without a selector (its endpoints would be made by hand)`);
    const selected = pods.filter((p) => Object.entries(selector).every(([k, v]) => p.labels[k] === v));
    if (!selected.length)
      throw new Error(
        `${m.source}: selects no pod of the output (selector ${Object.entries(selector)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')})`,
      );
    const ports = ((spec.ports ?? []) as ServicePort[]).map((p, index) => {
      const at = `${m.source}: spec.ports[${index}]`;
      onlyFields(p, ['name', 'port', 'targetPort', 'protocol'], at);
      if ((p.protocol ?? 'TCP') !== 'TCP') throw new Error(`${at}: protocol ${p.protocol}`);
      const target = p.targetPort ?? p.port;
      const numbers = new Set(selected.map((pod) => containerPort(pod, target, at)));
      const containerPortNumber = [...numbers][0]!;
      if (numbers.size > 1 || containerPortNumber !== p.port)
        throw new Error(
          `${at}: port ${p.port} goes to container port ${[...numbers].join(' or ')}: the harness has no Service proxy, so clients would miss it`,
        );
      return { ...(p.name ? { name: p.name } : {}), port: p.port, containerPort: containerPortNumber };
    });
    const name = m.metadata.name;
    selected[0]!.plan.names.push(...dnsNames(name, namespace));
    if (spec.clusterIP === 'None') {
      for (const pod of selected) if (pod.governingService === name) pod.plan.names.push(`${pod.plan.hostname}.${name}.${namespace}.svc.cluster.local`);
    }
    backends.set(name, { pods: selected, ports });
  }
  return backends;
}

function dnsNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

/** The container port a Service's targetPort names on a pod (a number, or the name of a port of one of its containers). */
function containerPort(pod: WorkloadPod, target: number | string, where: string): number {
  if (typeof target === 'number') return target;
  const owner = pod.template.spec.containers.find((c) => c.ports?.some((p) => p.name === target));
  if (!owner) throw new Error(`${where}: pod ${pod.plan.name} has no container port named ${target}`);
  return port(owner, target, where);
}

/**
 * Where users reach the UI: the backend of the Ingress rule for `/`, or
 * without an Ingress the Service in front of the api-server (webserver on
 * Airflow 2). On an ALB (ingressClassName alb, IP targets), the load
 * balancer checks each pod behind it at its healthcheck-path and expects
 * its success-codes (200 by default).
 */
export function userInterface(manifests: readonly Manifest[], backends: ReadonlyMap<string, Backend>): Pick<DeploymentPlan, 'ui' | 'platformChecks'> {
  const ingresses = manifests.filter((m) => m.kind === 'Ingress');
  for (const ingress of ingresses) {
    const spec = ingress.spec ?? {};
    onlyFields(spec, ['ingressClassName', 'rules', 'tls', 'defaultBackend'], `${ingress.source}: spec`);
    for (const [r, rule] of (spec.rules ?? []).entries()) {
      for (const [p, path] of (rule.http?.paths ?? []).entries()) {
        if (path.path !== '/' || (path.pathType !== 'Prefix' && path.pathType !== 'ImplementationSpecific')) continue;
        const at = `${ingress.source}: spec.rules[${r}].http.paths[${p}]`;
        const service = path.backend?.service;
        const backend = backends.get(service?.name);
        if (!backend) throw new Error(`${at}: backend Service ${service?.name} is not in the output`);
        const servicePort = backend.ports.find((sp) => (service.port?.name !== undefined ? sp.name === service.port.name : sp.port === service.port?.number));
        if (!servicePort) throw new Error(`${at}: Service ${service.name} has no port ${service.port?.name ?? service.port?.number}`);
        const pod = backend.pods[0]!.plan.name;
        const platformChecks: PlatformCheck[] = [];
        if (spec.ingressClassName === 'alb') {
          const annotations = ingress.metadata.annotations ?? {};
          const target = annotations['alb.ingress.kubernetes.io/target-type'] ?? 'instance';
          if (target !== 'ip') throw new Error(`${ingress.source}: ALB target-type ${target}: the harness reaches pods, not nodes`);
          const healthPath = annotations['alb.ingress.kubernetes.io/healthcheck-path'] ?? '/';
          const codes = successCodes(annotations['alb.ingress.kubernetes.io/success-codes'] ?? '200');
          for (const p of backend.pods)
            platformChecks.push({
              source: `${ingress.source}: the ALB's target health check`,
              pod: p.plan.name,
              port: servicePort.containerPort,
              path: healthPath,
              expect: codes,
            });
        }
        return { ui: { pod, port: servicePort.containerPort }, platformChecks };
      }
    }
  }
  if (ingresses.length) throw new Error(`${ingresses.map((i) => i.source).join(', ')}: no rule routes "/"`);
  for (const backend of backends.values()) {
    const web = backend.pods[0]!.template.spec.containers.find((c) =>
      ['api-server', 'webserver'].some((command) => (c.args ?? c.command ?? []).includes(command)),
    );
    const servicePort = web && backend.ports.find((sp) => web.ports?.some((cp) => cp.containerPort === sp.containerPort));
    if (servicePort) return { ui: { pod: backend.pods[0]!.plan.name, port: servicePort.containerPort }, platformChecks: [] };
  }
  throw new Error('the output has no Ingress and no Service in front of an api-server or webserver');
}

/** An ALB matcher: "200", "200,302", "200-299". */
function successCodes(text: string): (status: number) => boolean {
  const ranges = text.split(',').map((part) => part.trim().split('-').map(Number) as [number, number?]);
  return (status) => ranges.some(([low, high]) => (high === undefined ? status === low : status >= low && status <= high));
}
