import { posix } from 'node:path';
import type { V1Container, V1EnvVar, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';
import { AWS_CLI_IMAGE } from '../../compiler/aws/aws-cli.ts';
import { shellWord } from '../../compiler/emit/shell.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { CONTAINER_SECURITY } from './cluster.ts';
import { durationSeconds } from '../../compiler/normalize/duration.ts';

const GIT_SYNC_IMAGE = 'registry.k8s.io/git-sync/git-sync:v4.4.0';
export const DAGS_MOUNT = OFFICIAL_IMAGE.dagsFolder;
/** Key of the credentials Secret holding the git SSH key. */
export const GIT_SSH_KEY = 'git.ssh-key';
/** Key of the ConfigMap holding known_hosts. */
export const KNOWN_HOSTS = 'git.known-hosts';

/** How DAGs reach the pods of the components that need them. */
export interface PodDags {
  /** `[core] dags_folder`, when not the image's. */
  dagsFolder?: string;
  volumes: V1Volume[];
  mounts: V1VolumeMount[];
  /** Fills the folder once, before Airflow starts (every pod, and task pods). */
  init?: V1Container;
  /** Keeps it current (long-running pods). */
  sidecar?: V1Container;
}

export function podDags(model: Model, names: { credentials: string; config: string }): PodDags {
  const dags = model.dags;
  if (dags.kind === 'image' || dags.kind === 'path') return { volumes: [], mounts: [] };
  const volumes: V1Volume[] = [{ name: 'dags', emptyDir: {} }];
  const mounts: V1VolumeMount[] = [{ name: 'dags', mountPath: DAGS_MOUNT, readOnly: true }];
  if (dags.kind === 'git') {
    const env: V1EnvVar[] = [
      { name: 'GITSYNC_REPO', value: dags.repo },
      { name: 'GITSYNC_REF', value: dags.branch },
      { name: 'GITSYNC_ROOT', value: '/git' },
      { name: 'GITSYNC_LINK', value: 'repo' },
      { name: 'GITSYNC_PERIOD', value: dags.period },
    ];
    const gitMounts: V1VolumeMount[] = [{ name: 'dags', mountPath: '/git' }];
    if (dags.sshKey) {
      env.push(
        { name: 'GITSYNC_SSH_KEY_FILE', value: '/etc/git-secret/ssh' },
        { name: 'GITSYNC_SSH_KNOWN_HOSTS', value: dags.knownHosts ? 'true' : 'false' },
        // git-sync runs as the pod's user (the Airflow image's), which has no passwd entry in git-sync's image, and OpenSSH refuses to run without one.
        { name: 'GITSYNC_ADD_USER', value: 'true' },
      );
      volumes.push({ name: 'git-ssh-key', secret: { secretName: names.credentials, defaultMode: 0o440, items: [{ key: GIT_SSH_KEY, path: 'ssh' }] } });
      gitMounts.push({ name: 'git-ssh-key', mountPath: '/etc/git-secret/ssh', subPath: 'ssh', readOnly: true });
      if (dags.knownHosts) {
        env.push({ name: 'GITSYNC_SSH_KNOWN_HOSTS_FILE', value: '/etc/git-secret/known_hosts' });
        volumes.push({ name: 'git-known-hosts', configMap: { name: names.config, items: [{ key: KNOWN_HOSTS, path: 'known_hosts' }] } });
        gitMounts.push({ name: 'git-known-hosts', mountPath: '/etc/git-secret/known_hosts', subPath: 'known_hosts', readOnly: true });
      }
    }
    const container = (name: string, oneTime: boolean): V1Container => ({
      name,
      image: GIT_SYNC_IMAGE,
      env: [...env, ...(oneTime ? [{ name: 'GITSYNC_ONE_TIME', value: 'true' }] : [])],
      volumeMounts: gitMounts,
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      securityContext: CONTAINER_SECURITY,
    });
    return {
      dagsFolder: posix.join(DAGS_MOUNT, 'repo', dags.subPath),
      volumes,
      mounts,
      init: container('git-sync-init', true),
      sidecar: container('git-sync', false),
    };
  }
  // S3: credentials come from the pod's IAM role (IRSA on eks).
  const source = `s3://${dags.bucket}/${dags.prefix}`;
  const sync = `aws s3 sync ${shellWord(source)} ${DAGS_MOUNT} --delete --only-show-errors`;
  const seconds = durationSeconds(dags.period);
  const container = (name: string, command: string): V1Container => ({
    name,
    image: AWS_CLI_IMAGE,
    command: ['/bin/sh', '-c', command],
    env: [{ name: 'HOME', value: '/tmp' }],
    volumeMounts: [{ name: 'dags', mountPath: DAGS_MOUNT }],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
    securityContext: CONTAINER_SECURITY,
  });
  return { volumes, mounts, init: container('dags-sync-init', sync), sidecar: container('dags-sync', `while true; do ${sync}; sleep ${seconds}; done`) };
}
