import { chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunCertificates } from './certificates.ts';
import { run } from './host/shell.ts';
import type { ContainerPlan, PlanMount, PodPlan } from './plan.ts';
import { POSTGRES_UID } from './translation.ts';

/**
 * The servers that stand in for managed services and for what a spec points
 * at outside its output (RDS, ElastiCache, a user's own database or broker):
 * the postgres and redis images (translation.ts: Debian's servers) with the
 * credentials, names and TLS the output expects of them.
 */

/** The image's trust store, where translation.ts adds the run's CA. */
const TRUSTED_CAS = '/etc/ssl/certs/ca-certificates.crt';

export interface PostgresOptions {
  user: string;
  password: string;
  database: string;
  /** Serve TLS with a certificate of the run's CA for `names`. */
  tls: boolean;
  /** Refuse connections without TLS (RDS's `rds.force_ssl`). */
  requireTls?: boolean;
}

/** A PostgreSQL server as a managed service runs one (RDS, a user's own): the postgres image with its credentials. */
export async function postgresServer(name: string, names: string[], options: PostgresOptions, certificates: RunCertificates): Promise<PodPlan> {
  const command = ['postgres'];
  const mounts: PlanMount[] = [];
  if (options.tls || options.requireTls) {
    const { cert, key } = await certificates.issue(name, names);
    chownSync(key, POSTGRES_UID, 0);
    command.push('-c', 'ssl=on', '-c', 'ssl_cert_file=/etc/afc-tls/server.crt', '-c', 'ssl_key_file=/etc/afc-tls/server.key');
    mounts.push({ hostPath: cert, target: '/etc/afc-tls/server.crt', readOnly: true }, { hostPath: key, target: '/etc/afc-tls/server.key', readOnly: true });
  }
  if (options.requireTls) {
    // Local connections (the image's initialisation, pg_isready) as the image allows them; from the network, TLS only.
    const hba = join(certificates.dir, `${name}.pg_hba.conf`);
    writeFileSync(hba, 'local all all trust\nhostssl all all all scram-sha-256\n', { mode: 0o644 });
    command.push('-c', 'hba_file=/etc/afc-tls/pg_hba.conf');
    mounts.push({ hostPath: hba, target: '/etc/afc-tls/pg_hba.conf', readOnly: true });
  }
  return server(name, names, {
    name: 'postgres',
    image: 'postgres:16',
    command,
    env: { POSTGRES_USER: options.user, POSTGRES_PASSWORD: options.password, POSTGRES_DB: options.database },
    mounts,
    healthChecks: [
      {
        kind: 'exec',
        argv: ['pg_isready', '-U', options.user, '-d', options.database],
        timing: { startPeriod: 5, interval: 5, timeout: 5, retries: 10 },
        source: `${name} (the harness's)`,
        gatesReadiness: true,
      },
    ],
  });
}

export interface RedisOptions {
  password?: string;
  /** TLS only (ElastiCache's in-transit encryption), with a certificate of the run's CA for `names`; clients need not present one. */
  tls?: boolean;
}

/** A Redis server as a managed service runs one, with a password when given, TLS when asked. */
export async function redisServer(name: string, names: string[], options: RedisOptions, certificates?: RunCertificates): Promise<PodPlan> {
  const command = ['redis-server', ...(options.password ? ['--requirepass', options.password] : [])];
  const mounts: PlanMount[] = [];
  if (options.tls) {
    if (!certificates) throw new Error(`${name}: TLS needs the run's certificates`);
    const { cert, key } = await certificates.issue(name, names);
    chownSync(key, await uidOf('redis'), 0);
    command.push(
      '--port',
      '0',
      '--tls-port',
      '6379',
      '--tls-cert-file',
      '/etc/afc-tls/server.crt',
      '--tls-key-file',
      '/etc/afc-tls/server.key',
      '--tls-ca-cert-file',
      TRUSTED_CAS,
      '--tls-auth-clients',
      'no',
    );
    mounts.push({ hostPath: cert, target: '/etc/afc-tls/server.crt', readOnly: true }, { hostPath: key, target: '/etc/afc-tls/server.key', readOnly: true });
  }
  return server(name, names, {
    name: 'redis',
    image: 'redis:7.2-bookworm',
    command,
    env: {},
    mounts,
    healthChecks: [
      { kind: 'tcp', port: 6379, timing: { startPeriod: 1, interval: 2, timeout: 5, retries: 10 }, source: `${name} (the harness's)`, gatesReadiness: true },
    ],
  });
}

function server(name: string, names: string[], container: ContainerPlan): PodPlan {
  return { name, hostname: name, names, after: [], restart: 'always', runsToCompletion: false, containers: [container] };
}

async function uidOf(user: string): Promise<number> {
  return Number((await run('id', ['-u', user])).trim());
}
