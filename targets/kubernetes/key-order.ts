/** Kubernetes' conventional key order: what it is, its name, then its spec; a container's identity before its wiring. */
export function kubernetesKeyOrder(path: readonly string[]): readonly string[] | undefined {
  const last = path.at(-1);
  if (path.length === 0) return ['apiVersion', 'kind', 'metadata', 'type', 'spec', 'data', 'stringData', 'rules', 'roleRef', 'subjects'];
  if (last === 'metadata') return ['name', 'namespace', 'labels', 'annotations'];
  if (last === 'containers' || last === 'initContainers') {
    return [
      'name',
      'image',
      'imagePullPolicy',
      'command',
      'args',
      'env',
      'envFrom',
      'ports',
      'resources',
      'volumeMounts',
      'livenessProbe',
      'readinessProbe',
      'startupProbe',
      'securityContext',
    ];
  }
  if (last === 'spec') return ['ingressClassName', 'replicas', 'selector', 'serviceName', 'template', 'type', 'ports', 'rules'];
  if (last === 'resources') return ['requests', 'limits'];
  if (last === 'env') return ['name', 'value', 'valueFrom'];
  if (last === 'ports') return ['name', 'port', 'containerPort', 'targetPort', 'protocol'];
  if (last === 'volumeMounts' || last === 'volumes') return ['name'];
  return undefined;
}
