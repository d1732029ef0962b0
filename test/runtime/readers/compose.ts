import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { run } from '../host/shell.ts';
import type { CheckTiming, ContainerPlan, DeploymentPlan, HealthCheck, PlanMount, PodPlan } from '../plan.ts';
import { durationSeconds } from './duration.ts';

interface ComposeService {
  image: string;
  entrypoint?: string[] | string;
  command?: string[] | string;
  environment?: Record<string, string | null>;
  user?: string;
  group_add?: (string | number)[];
  working_dir?: string;
  volumes?: (string | { type: string; source?: string; target: string; read_only?: boolean })[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string; interval?: string; timeout?: string; start_period?: string; retries?: number; disable?: boolean };
  restart?: string;
  ports?: (string | { target: number; published?: number | string })[];
  deploy?: { replicas?: number };
}

/**
 * Reads a compose bundle the way Docker Compose does: `docker-compose config`
 * (Debian's) interpolates `.env` and `${…}`, reads `env_file`s into each
 * service's environment and resolves relative paths; the result, with its
 * `$$` turned back into `$`, is what each container gets.
 */
export async function readCompose(dir: string): Promise<DeploymentPlan> {
  const text = await run('docker-compose', ['--project-directory', dir, '-f', join(dir, 'docker-compose.yaml'), 'config'], { timeoutMs: 60_000 });
  const config = unescapeDollars(parse(text)) as { services: Record<string, ComposeService> };
  const project = /^COMPOSE_PROJECT_NAME=(.*)$/m.exec(await run('cat', [join(dir, '.env')]))?.[1]?.replace(/^'|'$/g, '') ?? 'afc';
  const completedBy = new Set<string>();
  for (const service of Object.values(config.services)) {
    for (const [name, dep] of Object.entries(dependsOn(service))) if (dep === 'completed') completedBy.add(name);
  }

  const pods: PodPlan[] = [];
  let ui: DeploymentPlan['ui'] | undefined;
  for (const [name, service] of Object.entries(config.services)) {
    const replicas = service.deploy?.replicas ?? 1;
    for (let i = 1; i <= replicas; i++) {
      // Docker names a container's host after its id; the embedded DNS resolves the id, the service and the container name.
      const id = createHash('sha256').update(`${project}/${name}/${i}`).digest('hex').slice(0, 12);
      const podName = replicas > 1 ? `${name}-${i}` : name;
      pods.push({
        name: podName,
        hostname: id,
        names: [...(i === 1 ? [name] : []), `${project}-${name}-${i}`, `${project}_${name}_${i}`, id],
        containers: [container(name, service, dir)],
        after: Object.entries(dependsOn(service)).map(([pod, condition]) => ({ pod, condition, source: `docker-compose.yaml: services.${name}.depends_on.${pod}` })),
        restart: service.restart === 'always' || service.restart === 'unless-stopped' ? 'always' : service.restart?.startsWith('on-failure') ? 'on-failure' : 'never',
        runsToCompletion: completedBy.has(name),
      });
    }
    const command = Array.isArray(service.command) ? service.command : [];
    if (service.ports?.length && (command[0] === 'api-server' || command[0] === 'webserver')) ui = { pod: name, port: publishedTarget(service.ports[0]!) };
  }
  if (!ui) throw new Error('docker-compose.yaml publishes no api-server or webserver port');
  return { pods, ui, platformChecks: [] };
}

function container(name: string, service: ComposeService, dir: string): ContainerPlan {
  const env = Object.fromEntries(Object.entries(service.environment ?? {}).filter((e): e is [string, string] => e[1] !== null).map(([k, v]) => [k, String(v)]));
  return {
    name,
    image: service.image,
    ...(service.entrypoint !== undefined ? { entrypoint: words(service.entrypoint, `${name}.entrypoint`) } : {}),
    ...(service.command !== undefined ? { command: words(service.command, `${name}.command`) } : {}),
    env,
    ...(service.user !== undefined ? { user: user(service.user, service.group_add) } : {}),
    ...(service.working_dir ? { workingDir: service.working_dir } : {}),
    mounts: (service.volumes ?? []).map((v) => mount(v, dir)),
    healthChecks: service.healthcheck && !service.healthcheck.disable ? [healthcheck(name, service.healthcheck)] : [],
  };
}

function dependsOn(service: ComposeService): Record<string, 'started' | 'healthy' | 'completed'> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'started']));
  const conditions = { service_started: 'started', service_healthy: 'healthy', service_completed_successfully: 'completed' } as const;
  return Object.fromEntries(Object.entries(deps).map(([d, { condition }]) => [d, conditions[condition as keyof typeof conditions] ?? 'started']));
}

function words(value: string[] | string, where: string): string[] {
  if (Array.isArray(value)) return value.map(String);
  throw new Error(`${where} is a string; the harness reads the list form afc writes`);
}

function user(value: string, groupAdd: (string | number)[] | undefined): { uid: number; gid: number; groups?: number[] } {
  const [uid, gid = '0'] = String(value).split(':');
  if (!/^\d+$/.test(uid!) || !/^\d+$/.test(gid)) throw new Error(`user "${value}": the harness runs numeric users`);
  return { uid: Number(uid), gid: Number(gid), ...(groupAdd?.length ? { groups: groupAdd.map(Number) } : {}) };
}

function mount(volume: NonNullable<ComposeService['volumes']>[number], dir: string): PlanMount {
  if (typeof volume !== 'string') {
    if (volume.type === 'bind') return { hostPath: volume.source!, target: volume.target, readOnly: volume.read_only ?? false };
    return { volume: volume.source ?? volume.target, target: volume.target, readOnly: volume.read_only ?? false };
  }
  const [source, target, mode = 'rw'] = volume.split(':');
  if (!target) return { volume: `anonymous${source!.replace(/\//g, '-')}`, target: source! };
  const readOnly = mode.split(',').includes('ro');
  if (isAbsolute(source!)) return { hostPath: source!, target, readOnly };
  if (source!.startsWith('.')) return { hostPath: join(dir, source!), target, readOnly };
  return { volume: source!, target, readOnly };
}

function healthcheck(service: string, check: NonNullable<ComposeService['healthcheck']>): HealthCheck {
  const timing: CheckTiming = {
    interval: durationSeconds(check.interval ?? '30s'),
    timeout: durationSeconds(check.timeout ?? '30s'),
    startPeriod: durationSeconds(check.start_period ?? '0s'),
    retries: check.retries ?? 3,
  };
  const test = typeof check.test === 'string' ? ['CMD-SHELL', check.test] : check.test;
  const [kind, ...rest] = test;
  const argv = kind === 'CMD-SHELL' ? ['/bin/sh', '-c', rest.join(' ')] : kind === 'CMD' ? rest : [];
  if (argv.length === 0) throw new Error(`services.${service}.healthcheck.test: ${JSON.stringify(test)} is not CMD or CMD-SHELL`);
  return { kind: 'exec', argv, timing, source: `docker-compose.yaml: services.${service}.healthcheck`, gatesReadiness: true };
}

function publishedTarget(port: string | { target: number }): number {
  if (typeof port !== 'string') return port.target;
  return Number(port.split(':').at(-1)!.split('/')[0]);
}

/** `docker-compose config` writes a literal `$` as `$$`, so that its output is itself a compose file. */
function unescapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\$/g, '$');
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeDollars(v)]));
  return value;
}
