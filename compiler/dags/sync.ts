/**
 * DAG sync: what every target runs to fill a DAG folder from `dags.git` or
 * `dags.s3`, and how each tells that the first sync is done. Targets
 * translate it (a sidecar and an init container, a compose service, an ECS
 * container or service); none re-codes the images, the loop or git-sync's
 * settings. Sources: docs/airflow-facts.md §9.
 */
import { AWS_CLI_IMAGE } from '../aws/aws-cli.ts';
import { shellWord } from '../emit/shell.ts';
import type { DagSourceModel } from '../normalize/model.ts';
import { durationSeconds } from '../normalize/duration.ts';

type GitDags = Extract<DagSourceModel, { kind: 'git' }>;
type S3Dags = Extract<DagSourceModel, { kind: 's3' }>;

/** git-sync, at the version the official Helm chart runs (`images.gitSync.tag`; §9). */
export const GIT_SYNC_IMAGE = 'registry.k8s.io/git-sync/git-sync:v4.4.2';

/**
 * The group of git-sync's image (65533), which owns its `/git` folder
 * (mode 02775): a new volume mounted there starts with that owner, so a
 * container running as another user writes it through this group.
 */
export const GIT_SYNC_GROUP = 65533;

/** Where git-sync keeps its checkouts, and the name of the link to the current one under it. */
export const GIT_SYNC_ROOT = '/git';
export const GIT_SYNC_LINK = 'repo';

/**
 * git-sync's HTTP endpoint (`--http-bind`, `GITSYNC_HTTP_BIND`): `GET /`
 * answers 5xx until the first sync is complete and 200 after, fit for
 * startup and liveness probes (git-sync's README). A port that none of the
 * catalogue's components (compiler/airflow/components.ts) listens on.
 */
export const GIT_SYNC_HTTP = { port: 8000, path: '/' } as const;

/** Where a mounted SSH key and known_hosts file are, for git-sync's settings. */
export const GIT_SECRET_FILES = { sshKey: '/etc/git-secret/ssh', knownHosts: '/etc/git-secret/known_hosts' } as const;

/** The AWS CLI image (the S3 sync), re-exported so a target needs one import for DAG sync. */
export { AWS_CLI_IMAGE };

/**
 * git-sync's settings as environment variables (v4 names, `GITSYNC_*`),
 * ordered by name. `oneTime`: one sync, then exit (0 when it succeeded): the
 * init container or one-shot service that Airflow waits for. Otherwise a
 * loop every `dags.git.period` with the HTTP endpoint on.
 * `addUser`: write a passwd entry for the running uid, which git-sync's
 * image does not know and OpenSSH refuses to run without.
 */
export function gitSyncEnvironment(dags: GitDags, options: { oneTime: boolean; addUser: boolean }): { name: string; value: string }[] {
  const env: Record<string, string> = {
    GITSYNC_LINK: GIT_SYNC_LINK,
    GITSYNC_PERIOD: dags.period,
    GITSYNC_REF: dags.branch,
    GITSYNC_REPO: dags.repo,
    GITSYNC_ROOT: GIT_SYNC_ROOT,
  };
  if (options.addUser) env.GITSYNC_ADD_USER = 'true';
  if (options.oneTime) env.GITSYNC_ONE_TIME = 'true';
  else env.GITSYNC_HTTP_BIND = `:${GIT_SYNC_HTTP.port}`;
  if (dags.sshKey) {
    env.GITSYNC_SSH_KEY_FILE = GIT_SECRET_FILES.sshKey;
    env.GITSYNC_SSH_KNOWN_HOSTS = dags.knownHosts ? 'true' : 'false';
    if (dags.knownHosts) env.GITSYNC_SSH_KNOWN_HOSTS_FILE = GIT_SECRET_FILES.knownHosts;
  }
  return Object.keys(env)
    .sort()
    .map((name) => ({ name, value: env[name]! }));
}

/**
 * A probe of git-sync's endpoint for an image with bash and no HTTP client
 * (git-sync's image ships bash, coreutils, grep and sed, no curl): an HTTP/1.0
 * GET over bash's /dev/tcp, successful only on a 200 status line. For a
 * platform that can only run a command (a compose health check).
 */
export function gitSyncHealthCommand(): string[] {
  return [
    'bash',
    '-c',
    `exec 3<>/dev/tcp/127.0.0.1/${GIT_SYNC_HTTP.port} && printf 'GET ${GIT_SYNC_HTTP.path} HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ status _ <&3 && [ "$status" = 200 ]`,
  ];
}

/** Where an S3 sync container marks its first successful sync, for a platform that can only run a command to tell. */
export const S3_SYNCED_MARKER = '/tmp/afc-dags-synced';

/** One `aws s3 sync` of the spec's bucket and prefix into `folder`, deleting what the bucket no longer has. */
export function s3SyncCommand(dags: S3Dags, folder: string): string {
  return `aws s3 sync ${shellWord(`s3://${dags.bucket}/${dags.prefix}`)} ${shellWord(folder)} --delete --only-show-errors`;
}

/**
 * The S3 sync loop, a POSIX shell script that runs as a container's main
 * process (PID 1): one sync every `dags.s3.period`, a failed one retried at
 * the next. PID 1 has no default action for SIGTERM, so the script traps it
 * (and SIGINT) and exits at once; the sync and the sleep run in the
 * background with `wait`, which a trapped signal interrupts, so a stop never
 * waits out the platform's grace period. `markReady`: touch
 * {@link S3_SYNCED_MARKER} after each successful sync (a health check's
 * file); the folder must be writable.
 */
export function s3SyncLoop(dags: S3Dags, folder: string, options: { markReady?: boolean } = {}): string {
  const sync = `${s3SyncCommand(dags, folder)} & wait $!`;
  return [
    `trap 'kill $! 2>/dev/null; exit 0' TERM INT`,
    `while true; do`,
    options.markReady ? `  { ${sync}; } && touch ${S3_SYNCED_MARKER}` : `  ${sync}`,
    `  sleep ${durationSeconds(dags.period)} & wait $!`,
    `done`,
  ].join('\n');
}

/** A health check of an S3 sync loop run with `markReady`: healthy once a sync has succeeded. */
export function s3SyncedCommand(): string {
  return `test -e ${S3_SYNCED_MARKER}`;
}
