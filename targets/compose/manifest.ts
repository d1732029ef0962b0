import type { TargetManifest } from '../../compiler/targets/manifest.ts';

/** The compose target as afc knows it before loading it. */
export const composeManifest: TargetManifest = {
  name: 'compose',
  description: 'docker-compose for a laptop or a single host',
  settingsKey: 'compose',
  supports: {
    executors: ['LocalExecutor', 'CeleryExecutor'],
    dagSources: ['image', 'path', 'git', 's3'],
    why: { KubernetesExecutor: 'it has no Kubernetes API to start task pods' },
  },
  codes: {
    AFC3101: { title: 'compose cannot run this executor', replacedBy: 'AFC2022' },
    AFC3102: { title: 'setting ignored by compose' },
    AFC3103: { title: 'compose cannot filter by address' },
    AFC3104: { title: 'git SSH key readable only by its owner' },
    AFC3105: { title: 'S3 DAG sync needs AWS credentials from the shell' },
  },
};
