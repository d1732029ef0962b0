import type { V1Container, V1EnvVar, V1PodSpec, V1PodTemplateSpec } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { AirflowSecret } from '../../compiler/airflow/components.ts';
import { POD_TEMPLATE } from '../../compiler/airflow/image.ts';
import type { Setting } from '../../compiler/airflow/settings.ts';
import type { ComponentSecrets, WiredSecret } from '../../compiler/secrets/by-component.ts';
import type { K8sObject } from './workloads.ts';

const COMPONENT = 'app.kubernetes.io/component';

/** A pod spec of a manifest: a workload's template, or the task pod of the pod-template ConfigMap. */
function podSpecs(object: K8sObject): { component: string; spec: V1PodSpec }[] {
  const o = object as K8sObject & { spec?: { template?: V1PodTemplateSpec }; data?: Record<string, string> };
  const template = o.spec?.template;
  if (template?.spec) return [{ component: template.metadata?.labels?.[COMPONENT] ?? o.metadata?.name ?? '', spec: template.spec }];
  const file = o.kind === 'ConfigMap' ? o.data?.[POD_TEMPLATE.file] : undefined;
  if (file) {
    const pod = parse(file) as { metadata?: { labels?: Record<string, string> }; spec: V1PodSpec };
    return [{ component: pod.metadata?.labels?.[COMPONENT] ?? 'task', spec: pod.spec }];
  }
  return [];
}

/**
 * What each container of the output gets of the secrets, read back from the
 * pod specs afc wrote (`<component>/<container>`): a variable from a Secret
 * key, or a scoped setting given as a plain value. `secrets` says what a
 * variable carries (by name: the settings'; by Secret key: the credentials').
 */
export function wiredSecrets(objects: readonly K8sObject[], scoped: readonly Setting[], credentials: Record<string, AirflowSecret>): ComponentSecrets[] {
  const scopeOf = new Map(scoped.flatMap((s) => (s.scope ? [[s.name, s.scope] as const] : [])));
  const rows: ComponentSecrets[] = [];
  for (const object of objects) {
    for (const { component, spec } of podSpecs(object)) {
      for (const container of [...(spec.initContainers ?? []), ...spec.containers] as V1Container[]) {
        const secrets = (container.env ?? []).flatMap((e: V1EnvVar): WiredSecret[] => {
          const ref = e.valueFrom?.secretKeyRef;
          const what = scopeOf.get(e.name) ?? (ref ? credentials[ref.key] : undefined);
          if (!what) return [];
          return [{ name: e.name, what, from: ref ? `Secret ${ref.name}, key ${ref.key}` : 'pod spec (plain)' }];
        });
        if (secrets.length) rows.push({ component: `${component}/${container.name}`, secrets });
      }
    }
  }
  return rows;
}
