import type { ContainerUser } from '../../host/container.ts';
import type { ContainerPlan, PlanMount, PodPlan } from '../../plan.ts';
import type { ConfigData } from './config-data.ts';
import { containerEnvironment, type PodFacts } from './environment.ts';
import { expand } from './expansion.ts';
import { onlyFields } from './manifests.ts';
import { probes, type ProbedContainer } from './probes.ts';
import { PodVolumes, type NodeStorage, type VolumeMount } from './volumes.ts';

/** What the cluster gives every pod besides its spec. */
export interface Cluster {
  namespace: string;
  data: ConfigData;
  storage: NodeStorage;
  /** Variables the kubelet adds to every container (the API server's service: KUBERNETES_SERVICE_HOST…). */
  platformEnv: Record<string, string>;
  /** Mounts the admission controllers add to every container of a pod running as that ServiceAccount (its token); `automount` is the pod's setting. */
  serviceAccountMounts(serviceAccount: string, automount: boolean | undefined, where: string): PlanMount[];
}

export interface PodTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  fsGroup?: number;
  supplementalGroups?: number[];
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  seccompProfile?: { type: string };
  fsGroupChangePolicy?: string;
}

interface Container extends ProbedContainer {
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: Parameters<typeof containerEnvironment>[0]['env'];
  envFrom?: Parameters<typeof containerEnvironment>[0]['envFrom'];
  volumeMounts?: VolumeMount[];
  securityContext?: SecurityContext;
}

interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: ConstructorParameters<typeof PodVolumes>[1];
  securityContext?: SecurityContext;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  hostname?: string;
  dnsPolicy?: string;
}

const POD_FIELDS = [
  'containers',
  'initContainers',
  'volumes',
  'securityContext',
  'serviceAccountName',
  'automountServiceAccountToken',
  'restartPolicy',
  'hostname',
  'terminationGracePeriodSeconds',
  'nodeSelector',
  'affinity',
  'tolerations',
  'priorityClassName',
  'topologySpreadConstraints',
  'imagePullSecrets',
  'schedulerName',
  'enableServiceLinks',
  'dnsPolicy',
];
const CONTAINER_FIELDS = [
  'name',
  'image',
  'imagePullPolicy',
  'command',
  'args',
  'workingDir',
  'env',
  'envFrom',
  'ports',
  'resources',
  'volumeMounts',
  'securityContext',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'stdin',
  'stdinOnce',
  'tty',
];
const POD_SECURITY_FIELDS = ['runAsUser', 'runAsGroup', 'runAsNonRoot', 'fsGroup', 'supplementalGroups', 'seccompProfile', 'fsGroupChangePolicy'];
const CONTAINER_SECURITY_FIELDS = [
  'runAsUser',
  'runAsGroup',
  'runAsNonRoot',
  'allowPrivilegeEscalation',
  'capabilities',
  'privileged',
  'readOnlyRootFilesystem',
  'seccompProfile',
];

/**
 * One pod of a template, as the kubelet runs it: init containers in order,
 * then the containers, each with its command and args (`command` replaces
 * the image's ENTRYPOINT, `args` its CMD; `$(VAR)` expanded from the
 * container's environment), environment, user (runAsUser and runAsGroup,
 * the container's over the pod's; supplementalGroups and fsGroup as
 * supplementary groups), volumes, working folder and probes.
 */
export function podPlan(
  name: string,
  template: PodTemplate,
  cluster: Cluster,
  options: { restart: PodPlan['restart']; runsToCompletion: boolean; where: string },
): PodPlan {
  const { spec } = template;
  const where = `${options.where}.spec`;
  onlyFields(spec, POD_FIELDS, where);
  onlyFields(spec.securityContext, POD_SECURITY_FIELDS, `${where}.securityContext`);
  if (spec.dnsPolicy !== undefined && spec.dnsPolicy !== 'ClusterFirst')
    throw new Error(`${where}: dnsPolicy ${spec.dnsPolicy}: the harness resolves cluster names only (ClusterFirst)`);
  const podSecurity = spec.securityContext ?? {};
  const serviceAccountName = spec.serviceAccountName ?? 'default';
  const facts: PodFacts = {
    name,
    namespace: cluster.namespace,
    labels: template.metadata?.labels ?? {},
    annotations: template.metadata?.annotations ?? {},
    serviceAccountName,
  };
  const volumes = new PodVolumes(name, spec.volumes ?? [], podSecurity.fsGroup, cluster.data, cluster.storage, where);
  const accountMounts = cluster.serviceAccountMounts(serviceAccountName, spec.automountServiceAccountToken, where);

  const container = (c: Container, init: boolean, index: number): ContainerPlan => {
    const at = `${where}.${init ? 'initContainers' : 'containers'}[${index}] (${c.name})`;
    onlyFields(c, CONTAINER_FIELDS, at);
    onlyFields(c.securityContext, CONTAINER_SECURITY_FIELDS, `${at}.securityContext`);
    const environment = containerEnvironment(c, facts, cluster.data, cluster.platformEnv, at);
    const lookup = (variable: string) => {
      if (environment.addressEnv.includes(variable))
        throw new Error(`${at}: command or args refer to $(${variable}), the pod's address, which the harness knows only when the pod starts`);
      return environment.env[variable];
    };
    return {
      name: c.name,
      image: c.image,
      ...(c.command ? { entrypoint: c.command.map((word) => expand(String(word), lookup)) } : {}),
      ...(c.args ? { command: c.args.map((word) => expand(String(word), lookup)) } : {}),
      env: environment.env,
      ...(environment.addressEnv.length ? { addressEnv: environment.addressEnv } : {}),
      ...user(podSecurity, c.securityContext ?? {}, at),
      ...(c.workingDir ? { workingDir: c.workingDir } : {}),
      mounts: [...volumes.mounts(c.volumeMounts, at), ...accountMounts],
      ...(init ? { init: true } : {}),
      healthChecks: init ? [] : probes(c, at),
    };
  };
  if (!spec.containers?.length) throw new Error(`${where}: no containers`);
  return {
    name,
    hostname: hostnameOf(spec.hostname ?? name),
    names: [],
    hostnameResolves: 'pod',
    containers: [...(spec.initContainers ?? []).map((c, i) => container(c, true, i)), ...spec.containers.map((c, i) => container(c, false, i))],
    after: [],
    restart: options.restart,
    runsToCompletion: options.runsToCompletion,
  };
}

/** The kubelet's host name of a pod: its name, cut to 63 characters without a trailing "-" or ".". */
function hostnameOf(name: string): string {
  return name.length > 63 ? name.slice(0, 63).replace(/[-.]+$/, '') : name;
}

/**
 * The container's user: runAsUser and runAsGroup (the container's over the
 * pod's), and as supplementary groups the pod's supplementalGroups and
 * fsGroup. Without runAsUser the image's user runs, which the harness
 * cannot combine with groups of the pod's, so that is refused.
 */
function user(pod: SecurityContext, container: SecurityContext, where: string): { user?: ContainerUser } {
  const uid = container.runAsUser ?? pod.runAsUser;
  const gid = container.runAsGroup ?? pod.runAsGroup;
  const groups = [...(pod.supplementalGroups ?? []), ...(pod.fsGroup !== undefined ? [pod.fsGroup] : [])];
  const nonRoot = container.runAsNonRoot ?? pod.runAsNonRoot;
  if (container.privileged) throw new Error(`${where}: a privileged container`);
  if (container.readOnlyRootFilesystem) throw new Error(`${where}: readOnlyRootFilesystem: the harness gives every container a writable layer`);
  if (container.capabilities?.add?.length) throw new Error(`${where}: capabilities.add ${container.capabilities.add.join(', ')}`);
  if (uid === undefined) {
    if (gid !== undefined || groups.length)
      throw new Error(`${where}: runAsGroup, fsGroup or supplementalGroups without runAsUser: the harness needs the user to combine them with`);
    return {};
  }
  if (nonRoot && uid === 0) throw new Error(`${where}: runAsNonRoot with runAsUser 0: the kubelet refuses to start it`);
  if (gid === undefined) throw new Error(`${where}: runAsUser without runAsGroup: the group would be the image's, which the harness does not look up`);
  return { user: { uid, gid, ...(groups.length ? { groups: [...new Set(groups)] } : {}) } };
}
