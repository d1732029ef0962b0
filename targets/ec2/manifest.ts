import type { TargetManifest } from '../../compiler/targets/manifest.ts';

/** The ec2 target as afc knows it before loading it. */
export const ec2Manifest: TargetManifest = {
  name: 'ec2',
  description: 'Terraform for one EC2 host running the compose bundle',
  settingsKey: 'ec2',
  supports: {
    executors: ['LocalExecutor', 'CeleryExecutor'],
    dagSources: ['image', 'git', 's3'],
    why: {
      KubernetesExecutor: 'the host runs Airflow with docker compose, which has no Kubernetes API',
      path: 'the host cannot see a folder beside the spec',
    },
  },
  codes: {
    AFC3201: { title: 'executor not possible on ec2', replacedBy: 'AFC2022' },
    AFC3202: { title: 'DAG source not possible on ec2', replacedBy: 'AFC2022' },
    AFC3203: { title: 'secret not in SSM' },
    AFC3204: { title: 'setting ignored by ec2' },
    AFC3205: { title: 'no database backup' },
    AFC3206: { title: 'UI open to the internet' },
    AFC3207: { title: 'user data over the EC2 limit' },
  },
};
