import { posix } from 'node:path';
import type { Model } from '../../compiler/normalize/model.ts';
import { shellWord } from '../../compiler/emit/shell.ts';
import { durationSeconds } from '../../compiler/normalize/duration.ts';
import { AIRFLOW_USER, literal, type ComposeService } from './compose-types.ts';
import { AWS_CLI_IMAGE } from '../../compiler/aws/aws-cli.ts';
import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';

export const DAGS_VOLUME = 'airflow-dags';
export const GIT_SSH_KEY_FILE = 'git-ssh-key';
export const KNOWN_HOSTS_FILE = 'git-known-hosts';
const GIT_SYNC_IMAGE = 'registry.k8s.io/git-sync/git-sync:v4.4.0';

/** How the Airflow containers see the DAGs, and the sidecar that fills a shared volume. */
export interface DagWiring {
  /** Mounts of every Airflow container. */
  volumes: string[];
  /** `[core] dags_folder`, when not the image's. */
  dagsFolder?: string;
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
      return { volumes: [literal(`${source.startsWith('.') ? source : `./${source}`}:${OFFICIAL_IMAGE.dagsFolder}`)], namedVolumes: [] };
    }
    case 'git': {
      const ssh = dags.sshKey !== undefined;
      const environment: Record<string, string> = {
        // git-sync runs as AIRFLOW_UID, which its image's /etc/passwd does not know; SSH refuses such a user.
        GITSYNC_ADD_USER: 'true',
        GITSYNC_LINK: 'repo',
        GITSYNC_PERIOD: dags.period,
        GITSYNC_REF: literal(dags.branch),
        GITSYNC_REPO: literal(dags.repo),
        GITSYNC_ROOT: '/git',
      };
      const volumes = [`${DAGS_VOLUME}:/git`];
      if (ssh) {
        environment.GITSYNC_SSH_KEY_FILE = '/etc/git-secret/ssh';
        volumes.push(`./${GIT_SSH_KEY_FILE}:/etc/git-secret/ssh:ro`);
        environment.GITSYNC_SSH_KNOWN_HOSTS = dags.knownHosts ? 'true' : 'false';
        if (dags.knownHosts) {
          environment.GITSYNC_SSH_KNOWN_HOSTS_FILE = '/etc/git-secret/known_hosts';
          volumes.push(`./${KNOWN_HOSTS_FILE}:/etc/git-secret/known_hosts:ro`);
        }
      }
      return {
        volumes: [`${DAGS_VOLUME}:${OFFICIAL_IMAGE.dagsFolder}:ro`],
        dagsFolder: posix.join(OFFICIAL_IMAGE.dagsFolder, 'repo', dags.subPath),
        namedVolumes: [DAGS_VOLUME],
        // The key file is 0600 and owned by whoever ran afc build: git-sync runs as AIRFLOW_UID, which must be
        // that user (AFC3104 says so), in the image's group 65533, which owns the /git folder a new volume starts from.
        sidecar: { name: 'git-sync', service: { image: GIT_SYNC_IMAGE, user: AIRFLOW_USER, group_add: ['65533'], environment, volumes, restart: 'always' } },
      };
    }
    case 's3': {
      const seconds = durationSeconds(dags.period);
      const source = `s3://${dags.bucket}/${dags.prefix}`;
      const loop = `while true; do aws s3 sync ${literal(shellWord(source))} /dags --delete --only-show-errors; sleep ${seconds}; done`;
      return {
        volumes: [`${DAGS_VOLUME}:${OFFICIAL_IMAGE.dagsFolder}:ro`],
        namedVolumes: [DAGS_VOLUME],
        // AWS credentials come from the standard chain: the instance role on EC2, AWS_* variables elsewhere.
        // The image's user (root) writes the new volume, which Docker creates root-owned; what it writes is world-readable.
        sidecar: {
          name: 'dags-sync',
          service: { image: AWS_CLI_IMAGE, entrypoint: ['/bin/sh', '-c'], command: [loop], volumes: [`${DAGS_VOLUME}:/dags`], restart: 'always' },
        },
      };
    }
  }
}
