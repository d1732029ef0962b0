import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';

/** The parts of the compose specification afc writes, typed so a misspelled field does not compile. */
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, Record<string, never>>;
}

export interface ComposeService {
  image: string;
  pull_policy?: 'always' | 'never' | 'missing';
  command?: string[];
  entrypoint?: string[];
  user?: string;
  group_add?: string[];
  env_file?: string[];
  /** Values by name; a list of bare names passes those variables through from the shell that runs compose. */
  environment?: Record<string, string> | string[];
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: 'service_started' | 'service_healthy' | 'service_completed_successfully' }>;
  healthcheck?: Healthcheck;
  restart?: 'always' | 'no' | 'on-failure' | 'unless-stopped';
  stop_grace_period?: string;
  deploy?: { replicas?: number; resources?: { limits: { cpus: string; memory: string } } };
}

export interface Healthcheck {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  start_period: string;
}

/**
 * Who the Airflow containers (and git-sync) run as: AIRFLOW_UID from the
 * environment of `docker compose up` (afc's .env does not set it: output does
 * not depend on who builds), group 0 as the image expects.
 */
export const AIRFLOW_USER = `\${AIRFLOW_UID:-${OFFICIAL_IMAGE.uid}}:${OFFICIAL_IMAGE.gid}`;

/** Text as compose must read it to see the text itself: `$` would start an interpolation, `$$` is a dollar sign. */
function literal(text: string): string {
  return text.replace(/\$/g, '$$$$');
}

/**
 * The compose file as compose must read it: compose interpolates every
 * string value of the file (`$VAR`, `${VAR}`, from the shell and .env), so
 * every one is written with `$` doubled, whatever field it is in and wherever
 * it comes from (the spec, a secret store, afc's own scripts). The one string
 * afc means compose to interpolate is a service's `user` ({@link AIRFLOW_USER});
 * no spec value reaches that field. Keys are not interpolated.
 * Source: the Compose Specification, "Interpolation" (docs/airflow-facts.md §15).
 */
export function escapeInterpolation(file: ComposeFile): ComposeFile {
  const walk = (value: unknown, path: readonly string[]): unknown => {
    if (typeof value === 'string') return path.length === 3 && path[0] === 'services' && path[2] === 'user' ? value : literal(value);
    if (Array.isArray(value)) return value.map((item) => walk(item, [...path, '[]']));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    return value;
  };
  return walk(file, []) as ComposeFile;
}

/** Conventional order: what runs, as whom, with what, then how it is wired and kept alive. */
export function composeKeyOrder(path: readonly string[]): readonly string[] | undefined {
  if (path.length === 0) return ['services', 'volumes'];
  if (path.length === 1 && path[0] === 'services') return ['postgres', 'redis', 'airflow-init'];
  if (path.length === 2 && path[0] === 'services')
    return [
      'image',
      'pull_policy',
      'entrypoint',
      'command',
      'user',
      'group_add',
      'env_file',
      'environment',
      'ports',
      'expose',
      'volumes',
      'depends_on',
      'healthcheck',
      'restart',
      'stop_grace_period',
      'deploy',
    ];
  if (path.at(-1) === 'healthcheck') return ['test', 'interval', 'timeout', 'retries', 'start_period'];
  return undefined;
}

/** The official docker-compose files' health check timing (docs/airflow-facts.md). */
export function healthcheck(test: string[], timing: Partial<Healthcheck> = {}): Healthcheck {
  return { test, interval: '30s', timeout: '10s', retries: 5, start_period: '30s', ...timing };
}
