import { posix } from 'node:path';
import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';
import {
  AWS_CLI_IMAGE,
  GIT_SECRET_FILES,
  GIT_SYNC_GROUP,
  GIT_SYNC_IMAGE,
  GIT_SYNC_LINK,
  GIT_SYNC_ROOT,
  gitSyncEnvironment,
  gitSyncHealthCommand,
  s3SyncCommand,
  s3SyncLoop,
} from '../../compiler/dags/sync.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { AIRFLOW_USER, healthcheck, type ComposeService } from './compose-types.ts';

export const DAGS_VOLUME = 'airflow-dags';
export const GIT_SSH_KEY_FILE = 'git-ssh-key';
export const KNOWN_HOSTS_FILE = 'git-known-hosts';

/**
 * The AWS variables the S3 sync takes from the shell that runs `docker compose up`, by name (no value is in the
 * file): static or exported credentials (`aws configure export-credentials --format env`), the region, and an
 * endpoint (S3-compatible storage). Unset ones stay unset: on EC2 the instance role answers instead.
 */
export const AWS_PASS_THROUGH = ['AWS_ACCESS_KEY_ID', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

/** How the Airflow containers see the DAGs, and the services that fill a shared volume. */
export interface DagWiring {
  /** Mounts of every Airflow container. */
  volumes: string[];
  /** `[core] dags_folder`, when not the image's. */
  dagsFolder?: string;
  /** One sync that must complete before an Airflow component starts (the sidecar waits for it too). */
  init?: { name: string; service: ComposeService };
  /** Keeps the volume current. */
  sidecar?: { name: string; service: ComposeService };
  /** Named volumes to declare. */
  namedVolumes: string[];
}

export function dagWiring(model: Model, specDirFromOutput: string): DagWiring {
  const dags = model.dags;
  switch (dags.kind) {
    case 'image':
      return { volumes: [], namedVolumes: [] };
    case 'path': {
      const source = posix.normalize(posix.join(specDirFromOutput, dags.path));
      return { volumes: [`${source.startsWith('.') ? source : `./${source}`}:${OFFICIAL_IMAGE.dagsFolder}`], namedVolumes: [] };
    }
    case 'git': {
      // git-sync runs as AIRFLOW_UID, which its image's /etc/passwd does not know; SSH refuses such a user.
      const environment = (oneTime: boolean) => Object.fromEntries(gitSyncEnvironment(dags, { oneTime, addUser: true }).map((e) => [e.name, e.value]));
      const volumes = [`${DAGS_VOLUME}:${GIT_SYNC_ROOT}`];
      if (dags.sshKey) {
        volumes.push(`./${GIT_SSH_KEY_FILE}:${GIT_SECRET_FILES.sshKey}:ro`);
        if (dags.knownHosts) volumes.push(`./${KNOWN_HOSTS_FILE}:${GIT_SECRET_FILES.knownHosts}:ro`);
      }
      // The key file is 0600 and owned by whoever ran afc build: git-sync runs as AIRFLOW_UID, which must be
      // that user (AFC3104 says so), in the image's group, which owns the /git folder a new volume starts from.
      const service = (oneTime: boolean): ComposeService => ({
        image: GIT_SYNC_IMAGE,
        user: AIRFLOW_USER,
        group_add: [String(GIT_SYNC_GROUP)],
        environment: environment(oneTime),
        volumes,
      });
      return {
        volumes: [`${DAGS_VOLUME}:${OFFICIAL_IMAGE.dagsFolder}:ro`],
        dagsFolder: posix.join(OFFICIAL_IMAGE.dagsFolder, GIT_SYNC_LINK, dags.subPath),
        namedVolumes: [DAGS_VOLUME],
        init: { name: 'git-sync-init', service: service(true) },
        sidecar: {
          name: 'git-sync',
          service: {
            ...service(false),
            depends_on: { 'git-sync-init': { condition: 'service_completed_successfully' } },
            // Its HTTP endpoint answers 200 once a sync has succeeded; the image has bash but no HTTP client.
            healthcheck: healthcheck(['CMD', ...gitSyncHealthCommand()], { interval: '30s', timeout: '5s', retries: 3, start_period: '60s' }),
            restart: 'always',
          },
        },
      };
    }
    case 's3': {
      // Credentials from the standard chain: the instance role on EC2, the shell's AWS_* variables elsewhere.
      // The image's user (root) writes the new volume, which Docker creates root-owned; what it writes is world-readable.
      const service = (script: string): ComposeService => ({
        image: AWS_CLI_IMAGE,
        entrypoint: ['/bin/sh', '-c'],
        command: [script],
        environment: AWS_PASS_THROUGH,
        volumes: [`${DAGS_VOLUME}:/dags`],
      });
      return {
        volumes: [`${DAGS_VOLUME}:${OFFICIAL_IMAGE.dagsFolder}:ro`],
        namedVolumes: [DAGS_VOLUME],
        init: { name: 'dags-sync-init', service: service(s3SyncCommand(dags, '/dags')) },
        sidecar: {
          name: 'dags-sync',
          service: {
            ...service(s3SyncLoop(dags, '/dags')),
            depends_on: { 'dags-sync-init': { condition: 'service_completed_successfully' } },
            restart: 'always',
          },
        },
      };
    }
  }
}
