import type { PodPlan } from '../../plan.ts';
import { onlyFields, type Manifest } from './manifests.ts';
import { podPlan, type Cluster, type PodTemplate } from './pods.ts';

/** A pod of a workload, with the labels Services select it by. */
export interface WorkloadPod {
  plan: PodPlan;
  /** `Kind/name` of its workload. */
  owner: string;
  labels: Record<string, string>;
  template: PodTemplate;
  /** The StatefulSet's governing Service, whose DNS names each pod when it is headless. */
  governingService?: string;
}

/** The kinds whose pods the harness runs. */
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job']);

/**
 * The pods of the output's workloads, as their controllers make them:
 * `replicas` pods of a Deployment (named `<name>-<i>`, where Kubernetes adds
 * a random suffix), of a StatefulSet (`<name>-<ordinal>`, each started
 * once the one before is ready, as podManagementPolicy OrderedReady does,
 * each with its own claims from volumeClaimTemplates), and one pod of a Job.
 * Pods of Deployments and StatefulSets are restarted always; a Job's as its
 * restartPolicy says. No other order holds between pods: what waits, waits
 * in an init container.
 */
export function workloadPods(manifests: readonly Manifest[], cluster: Cluster): WorkloadPod[] {
  const pods: WorkloadPod[] = [];
  for (const m of manifests) {
    if (!WORKLOAD_KINDS.has(m.kind)) continue;
    const spec = m.spec ?? {};
    const template = spec.template as PodTemplate | undefined;
    if (!template?.spec) throw new Error(`${m.source}: no spec.template.spec`);
    onlyFields(template, ['metadata', 'spec'], `${m.source}: spec.template`);
    const labels = template.metadata?.labels ?? {};
    const where = `${m.source}: spec.template`;
    const owner = `${m.kind}/${m.metadata.name}`;
    const restartPolicy = template.spec.restartPolicy;
    if (m.kind === 'Job') {
      onlyFields(
        spec,
        ['template', 'backoffLimit', 'completions', 'parallelism', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'selector', 'manualSelector'],
        `${m.source}: spec`,
      );
      if ((spec.completions ?? 1) !== 1 || (spec.parallelism ?? 1) !== 1) throw new Error(`${m.source}: completions and parallelism other than 1`);
      // A Job's pods restart in place with OnFailure; with Never the Job controller makes new pods, which the harness does not.
      if (restartPolicy !== 'OnFailure')
        throw new Error(
          `${m.source}: restartPolicy ${restartPolicy ?? '(none; the API server requires OnFailure or Never)'}: the harness runs Jobs whose pods restart OnFailure`,
        );
      pods.push({
        plan: podPlan(`${m.metadata.name}-0`, template, cluster, { restart: 'on-failure', runsToCompletion: true, where }),
        owner,
        labels,
        template,
      });
      continue;
    }
    if (restartPolicy !== undefined && restartPolicy !== 'Always')
      throw new Error(`${m.source}: restartPolicy ${restartPolicy}: the API server accepts Always only`);
    checkSelector(m, labels);
    const replicas = replicaCount(m, manifests);
    if (m.kind === 'Deployment') {
      onlyFields(
        spec,
        ['replicas', 'selector', 'template', 'strategy', 'revisionHistoryLimit', 'minReadySeconds', 'progressDeadlineSeconds'],
        `${m.source}: spec`,
      );
      for (let i = 0; i < replicas; i++)
        pods.push({
          plan: podPlan(`${m.metadata.name}-${i}`, template, cluster, { restart: 'always', runsToCompletion: false, where }),
          owner,
          labels,
          template,
        });
      continue;
    }
    onlyFields(
      spec,
      [
        'replicas',
        'selector',
        'template',
        'serviceName',
        'volumeClaimTemplates',
        'podManagementPolicy',
        'updateStrategy',
        'persistentVolumeClaimRetentionPolicy',
        'minReadySeconds',
        'revisionHistoryLimit',
      ],
      `${m.source}: spec`,
    );
    const claims = (spec.volumeClaimTemplates ?? []) as { metadata: { name: string } }[];
    for (let ordinal = 0; ordinal < replicas; ordinal++) {
      const name = `${m.metadata.name}-${ordinal}`;
      // Each claim template becomes the claim <template>-<pod>, mounted as a volume of the template's name.
      const volumes = [
        ...(template.spec.volumes ?? []),
        ...claims.map((c) => ({ name: c.metadata.name, persistentVolumeClaim: { claimName: `${c.metadata.name}-${name}` } })),
      ];
      const plan = podPlan(name, { ...template, spec: { ...template.spec, volumes } }, cluster, { restart: 'always', runsToCompletion: false, where });
      if (ordinal > 0 && spec.podManagementPolicy !== 'Parallel')
        plan.after.push({ pod: `${m.metadata.name}-${ordinal - 1}`, condition: 'healthy', source: `${m.source}: podManagementPolicy OrderedReady` });
      pods.push({ plan, owner, labels, template, ...(spec.serviceName ? { governingService: spec.serviceName } : {}) });
    }
  }
  const names = new Set<string>();
  for (const { plan } of pods) {
    if (names.has(plan.name)) throw new Error(`two workloads make a pod named ${plan.name}`);
    names.add(plan.name);
  }
  return pods;
}

/** The claims the output's pods may mount: its PersistentVolumeClaims and those of StatefulSets' claim templates. */
export function declaredClaims(manifests: readonly Manifest[]): Set<string> {
  const claims = new Set<string>();
  for (const m of manifests) {
    if (m.kind === 'PersistentVolumeClaim') claims.add(m.metadata.name);
    if (m.kind !== 'StatefulSet') continue;
    for (let ordinal = 0; ordinal < replicaCount(m, manifests); ordinal++) {
      for (const c of m.spec?.volumeClaimTemplates ?? []) claims.add(`${c.metadata.name}-${m.metadata.name}-${ordinal}`);
    }
  }
  return claims;
}

/**
 * `spec.replicas` (1 when unset), or what a KEDA ScaledObject keeps it at
 * while nothing is queued: at least its minReplicaCount. A minimum of 0
 * would need KEDA's scaling, which the harness does not do.
 */
function replicaCount(m: Manifest, manifests: readonly Manifest[]): number {
  const replicas: number = m.spec?.replicas ?? 1;
  const scaler = manifests.find(
    (s) => s.kind === 'ScaledObject' && (s.spec?.scaleTargetRef?.kind ?? 'Deployment') === m.kind && s.spec?.scaleTargetRef?.name === m.metadata.name,
  );
  if (!scaler) return replicas;
  const min: number = scaler.spec.minReplicaCount ?? 0;
  const max: number = scaler.spec.maxReplicaCount ?? 100;
  if (min < 1) throw new Error(`${scaler.source}: minReplicaCount ${min}: the harness does not scale from zero (KEDA's activation)`);
  return Math.min(Math.max(replicas, min), max);
}

/** The API server refuses a workload whose selector does not select its own template's labels. */
function checkSelector(m: Manifest, labels: Record<string, string>): void {
  const selector = m.spec?.selector;
  onlyFields(selector, ['matchLabels'], `${m.source}: spec.selector`);
  const match: Record<string, string> = selector?.matchLabels ?? {};
  if (!Object.keys(match).length) throw new Error(`${m.source}: spec.selector selects nothing`);
  const wrong = Object.entries(match).filter(([k, v]) => labels[k] !== v);
  if (wrong.length)
    throw new Error(
      `${m.source}: spec.selector does not match the template's labels (${wrong.map(([k, v]) => `${k}=${v}`).join(', ')}); the API server refuses it`,
    );
}
