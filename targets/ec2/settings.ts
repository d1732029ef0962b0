import type { Model } from '../../compiler/normalize/model.ts';

/** Where the bundle and the data volume live on the host. */
export const HOST = {
  bundleDir: '/opt/airflow',
  dataDir: '/data',
  postgresDataDir: '/data/postgres',
  unit: 'airflow.service',
  backupUnit: 'airflow-backup',
  /** docker.service's drop-in that waits for the data volume. */
  dockerDropIn: 'afc-airflow-data.conf',
} as const;

/** The script, beside the bundle, that applies a changed bundle on a running host. */
export const APPLY_BUNDLE = 'apply-bundle.sh';

/** `targets.ec2` with its defaults applied (the schema's), and what follows from the spec. */
export interface Ec2Settings {
  region?: string;
  instanceType: string;
  rootVolumeGb: number;
  /** The data volume holding Postgres's files; only with a managed database. */
  dataVolumeGb?: number;
  ami?: string;
  keyName?: string;
  sshCidrs: string[];
  subnetId?: string;
  backup?: { s3: string; retentionDays: number };
  /** The UI's port, on the host as in the container. */
  uiPort: number;
}

export function ec2Settings(model: Model): Ec2Settings {
  const t = model.targets.ec2 ?? {};
  const managed = model.database.kind === 'managed' ? model.database : undefined;
  return {
    ...(t.region ? { region: t.region } : {}),
    instanceType: t.instanceType ?? 't3.large',
    rootVolumeGb: t.volumeGb ?? 50,
    ...(managed ? { dataVolumeGb: managed.storageGb } : {}),
    ...(t.ami ? { ami: t.ami } : {}),
    ...(t.keyName ? { keyName: t.keyName } : {}),
    sshCidrs: [...(t.sshCidrs ?? [])].sort(),
    ...(t.subnetId ? { subnetId: t.subnetId } : {}),
    // Backups are of the host's own Postgres; an external database has its own.
    ...(t.backup && managed ? { backup: { s3: t.backup.s3.replace(/\/+$/, ''), retentionDays: t.backup.retentionDays ?? 14 } } : {}),
    uiPort: model.components.webserver.port,
  };
}
