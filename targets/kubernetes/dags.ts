import { literal } from './expansion.ts';
import { posix } from 'node:path';
import type { V1Container, V1Probe, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';
import {
  AWS_CLI_IMAGE,
  GIT_SECRET_FILES,
  GIT_SYNC_HTTP,
  GIT_SYNC_IMAGE,
  GIT_SYNC_LINK,
  GIT_SYNC_ROOT,
  gitSyncEnvironment,
  s3SyncCommand,
  s3SyncLoop,
} from '../../compiler/dags/sync.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { CONTAINER_SECURITY } from './cluster.ts';

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
    const gitMounts: V1VolumeMount[] = [{ name: 'dags', mountPath: GIT_SYNC_ROOT }];
    if (dags.sshKey) {
      volumes.push({ name: 'git-ssh-key', secret: { secretName: names.credentials, defaultMode: 0o440, items: [{ key: GIT_SSH_KEY, path: 'ssh' }] } });
      gitMounts.push({ name: 'git-ssh-key', mountPath: GIT_SECRET_FILES.sshKey, subPath: 'ssh', readOnly: true });
      if (dags.knownHosts) {
        volumes.push({ name: 'git-known-hosts', configMap: { name: names.config, items: [{ key: KNOWN_HOSTS, path: 'known_hosts' }] } });
        gitMounts.push({ name: 'git-known-hosts', mountPath: GIT_SECRET_FILES.knownHosts, subPath: 'known_hosts', readOnly: true });
      }
    }
    // git-sync runs as the pod's user (the Airflow image's), which has no passwd entry in git-sync's image, and OpenSSH refuses to run without one.
    const container = (name: string, oneTime: boolean): V1Container => ({
      name,
      image: GIT_SYNC_IMAGE,
      env: gitSyncEnvironment(dags, { oneTime, addUser: dags.sshKey !== undefined }).map((e) => ({ ...e, value: literal(e.value) })),
      volumeMounts: gitMounts,
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      securityContext: CONTAINER_SECURITY,
    });
    // The init container's one sync is the pod's first; the sidecar's endpoint answers 200 once it has synced too.
    const probe = (failureThreshold: number, periodSeconds: number): V1Probe => ({
      httpGet: { path: GIT_SYNC_HTTP.path, port: GIT_SYNC_HTTP.port },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold,
    });
    return {
      dagsFolder: posix.join(DAGS_MOUNT, GIT_SYNC_LINK, dags.subPath),
      volumes,
      mounts,
      init: container('git-sync-init', true),
      sidecar: {
        ...container('git-sync', false),
        ports: [{ name: 'git-sync', containerPort: GIT_SYNC_HTTP.port }],
        // Up to five minutes for its first sync (a large repository), then restarted if the endpoint stops answering.
        startupProbe: probe(30, 10),
        livenessProbe: probe(3, 30),
      },
    };
  }
  // S3: credentials come from the pod's IAM role (IRSA on eks).
  const container = (name: string, command: string): V1Container => ({
    name,
    image: AWS_CLI_IMAGE,
    command: ['/bin/sh', '-c', literal(command)],
    env: [{ name: 'HOME', value: '/tmp' }],
    volumeMounts: [{ name: 'dags', mountPath: DAGS_MOUNT }],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
    securityContext: CONTAINER_SECURITY,
  });
  return { volumes, mounts, init: container('dags-sync-init', s3SyncCommand(dags, DAGS_MOUNT)), sidecar: container('dags-sync', s3SyncLoop(dags, DAGS_MOUNT)) };
}
