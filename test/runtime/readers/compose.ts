import { createHash } from 'node:crypto';
import { run } from '../host/shell.ts';
import type { CheckTiming, ContainerPlan, DeploymentPlan, HealthCheck, PlanMount, PodPlan } from '../plan.ts';
import { COMPOSE_CONFIG } from '../translation.ts';
import { durationSeconds } from './duration.ts';

/** A service as compose-go's model serializes it (the fields the harness reads). */
interface ComposeService {
  image: string;
  entrypoint?: string[] | null;
  command?: string[] | null;
  environment?: Record<string, string | null>;
  user?: string;
  group_add?: string[];
  working_dir?: string;
  volumes?: { type: string; source?: string; target: string; read_only?: boolean }[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; interval?: string; timeout?: string; start_period?: string; retries?: number; disable?: boolean };
  restart?: string;
  ports?: { target: number; published?: string }[];
  deploy?: { replicas?: number };
}

/**
 * Reads a compose bundle the way Docker Compose v2 does, through
 * compose-config (compose-go, the library Compose itself loads projects
 * with): `.env` and `${…}` interpolated, `env_file`s read into each service's
 * environment, relative paths resolved. What it prints is what each
 * container gets. The harness runs it with only `shell` for an environment:
 * the shell a user runs `docker compose up` from is not part of the output,
 * except for what the output passes through from it by name
 * (translation.ts: `composeShellEnvironment`).
 */
export async function readCompose(dir: string, shell: Record<string, string> = {}): Promise<DeploymentPlan> {
  const text = await run('env', ['-i', ...Object.entries(shell).map(([name, value]) => `${name}=${value}`), COMPOSE_CONFIG, dir], { timeoutMs: 60_000 });
  const project = JSON.parse(text) as { name: string; services: Record<string, ComposeService> };
  const completedBy = new Set<string>();
  for (const service of Object.values(project.services)) {
    for (const [name, dep] of Object.entries(service.depends_on ?? {})) if (dep.condition === 'service_completed_successfully') completedBy.add(name);
  }

  const pods: PodPlan[] = [];
  let ui: DeploymentPlan['ui'] | undefined;
  for (const [name, service] of Object.entries(project.services)) {
    const replicas = service.deploy?.replicas ?? 1;
    for (let i = 1; i <= replicas; i++) {
      // Docker names a container's host after its id; its DNS resolves the id, the service and the container name.
      const id = createHash('sha256').update(`${project.name}/${name}/${i}`).digest('hex').slice(0, 12);
      pods.push({
        name: replicas > 1 ? `${name}-${i}` : name,
        hostname: id,
        names: [...(i === 1 ? [name] : []), `${project.name}-${name}-${i}`, id],
        containers: [container(name, service)],
        after: Object.entries(service.depends_on ?? {}).map(([pod, dep]) => ({
          pod,
          condition: condition(dep.condition),
          source: `docker-compose.yaml: services.${name}.depends_on.${pod}`,
        })),
        restart:
          service.restart === 'always' || service.restart === 'unless-stopped' ? 'always' : service.restart?.startsWith('on-failure') ? 'on-failure' : 'never',
        runsToCompletion: completedBy.has(name),
      });
    }
    const command = service.command ?? [];
    if (service.ports?.length && (command[0] === 'api-server' || command[0] === 'webserver')) ui = { pod: name, port: service.ports[0]!.target };
  }
  if (!ui) throw new Error('docker-compose.yaml publishes no api-server or webserver port');
  // A laptop's Docker has no AWS identity; on an EC2 host the ec2 reader says otherwise.
  return { pods, ui, platformChecks: [], awsIdentity: false };
}

/** The service keys the reader runs as written. */
const READ = new Set([
  'image',
  'entrypoint',
  'command',
  'environment',
  'user',
  'group_add',
  'working_dir',
  'volumes',
  'depends_on',
  'healthcheck',
  'restart',
  'ports',
  'deploy',
]);

/** Keys the harness may leave out, and why that changes nothing a scenario checks. */
const NOT_REPRODUCED: Record<string, string> = {
  expose: 'documentation: every port is reachable on the project network',
  pull_policy: 'the harness pulls nothing',
  stop_grace_period: 'the harness stops containers once, at the end of a run',
};

/** Anything else in a service would change how it runs: an error, never a silent approximation. */
function checkKeys(name: string, service: ComposeService & Record<string, unknown>): void {
  const unknown = Object.keys(service).filter(
    (key) => !READ.has(key) && !(key in NOT_REPRODUCED) && !(key === 'networks' && isDefaultNetwork(service.networks)),
  );
  if (unknown.length) throw new Error(`services.${name}: the runtime harness does not run ${unknown.join(', ')}`);
  const deploy = Object.keys(service.deploy ?? {}).filter((key) => !['replicas', 'resources', 'placement'].includes(key));
  if (deploy.length) throw new Error(`services.${name}.deploy: the runtime harness does not run ${deploy.join(', ')}`);
}

/** Only the project's default network, as afc writes: the one network the harness has. */
function isDefaultNetwork(networks: unknown): boolean {
  return (
    typeof networks === 'object' && networks !== null && Object.keys(networks).every((n) => n === 'default') && Object.values(networks).every((v) => v === null)
  );
}

function container(name: string, service: ComposeService): ContainerPlan {
  checkKeys(name, service as ComposeService & Record<string, unknown>);
  const env = Object.fromEntries(Object.entries(service.environment ?? {}).filter((e): e is [string, string] => e[1] !== null));
  return {
    name,
    image: service.image,
    ...(service.entrypoint ? { entrypoint: service.entrypoint } : {}),
    ...(service.command ? { command: service.command } : {}),
    env,
    ...(service.user !== undefined ? { user: user(service.user, service.group_add) } : {}),
    ...(service.working_dir ? { workingDir: service.working_dir } : {}),
    mounts: (service.volumes ?? []).map(mount),
    healthChecks: service.healthcheck?.test && !service.healthcheck.disable ? [healthcheck(name, service.healthcheck)] : [],
  };
}

function condition(value: string): 'started' | 'healthy' | 'completed' {
  const conditions: Record<string, 'started' | 'healthy' | 'completed'> = {
    service_started: 'started',
    service_healthy: 'healthy',
    service_completed_successfully: 'completed',
  };
  const found = conditions[value];
  if (!found) throw new Error(`depends_on condition ${value} is not one compose knows`);
  return found;
}

function user(value: string, groupAdd: string[] | undefined): { uid: number; gid: number; groups?: number[] } {
  const [uid, gid = '0'] = value.split(':');
  if (!/^\d+$/.test(uid!) || !/^\d+$/.test(gid)) throw new Error(`user "${value}": the harness runs numeric users`);
  return { uid: Number(uid), gid: Number(gid), ...(groupAdd?.length ? { groups: groupAdd.map(Number) } : {}) };
}

function mount(volume: NonNullable<ComposeService['volumes']>[number]): PlanMount {
  const readOnly = volume.read_only ?? false;
  if (volume.type === 'bind') return { hostPath: volume.source!, target: volume.target, readOnly };
  if (volume.type === 'volume')
    return { volume: volume.source ?? `anonymous${volume.target.replace(/\//g, '-')}`, target: volume.target, readOnly, populate: true };
  throw new Error(`a ${volume.type} mount at ${volume.target}: the harness runs bind mounts and volumes`);
}

function healthcheck(service: string, check: NonNullable<ComposeService['healthcheck']>): HealthCheck {
  // compose's defaults: 30 s interval and timeout, 3 retries, no start period.
  const timing: CheckTiming = {
    interval: durationSeconds(check.interval ?? '30s'),
    timeout: durationSeconds(check.timeout ?? '30s'),
    startPeriod: durationSeconds(check.start_period ?? '0s'),
    retries: check.retries ?? 3,
  };
  const [kind, ...rest] = check.test!;
  const argv = kind === 'CMD-SHELL' ? ['/bin/sh', '-c', rest.join(' ')] : kind === 'CMD' ? rest : [];
  if (argv.length === 0) throw new Error(`services.${service}.healthcheck.test: ${JSON.stringify(check.test)} is not CMD or CMD-SHELL`);
  return { kind: 'exec', argv, timing, source: `docker-compose.yaml: services.${service}.healthcheck`, gatesReadiness: true };
}
