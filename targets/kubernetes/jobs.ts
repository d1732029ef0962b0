import type { V1Job, V1JobSpec } from '@kubernetes/client-node';
import type { Model } from '../../compiler/normalize/model.ts';
import { digest, metadata, names } from './cluster.ts';
import { airflowContainer, airflowPod, type AirflowPods } from './pods.ts';

/** Key of the credentials Secret with the admin password. */
export const ADMIN_PASSWORD = 'admin.password';

/**
 * How long a finished Job (and its pod, with its log) stays before
 * Kubernetes' TTL controller deletes it: one day. Each image, version or
 * configuration makes a Job of a new name, so without a TTL they pile up
 * for ever. A day leaves a deploy pipeline all the time it needs for
 * `kubectl wait --for=condition=complete` and `kubectl logs job/…`; a short
 * TTL would let a Job vanish before a slow pipeline waits on it (wait then
 * fails with NotFound). GitOps tools that see the deleted Job re-create it
 * (Argo CD reports it Missing, Flux re-applies it), and it runs again:
 * harmless, as migrating a migrated database and creating an existing user
 * change nothing. Sources: docs/airflow-facts.md §8.
 */
export const JOB_TTL_SECONDS = 86400;

/**
 * The migration, and the admin user, as Jobs. A Job's pod spec cannot
 * change, so each name ends with a digest of its spec: a new image, version
 * or configuration is a new Job, and the migration runs again. Finished
 * Jobs are deleted after JOB_TTL_SECONDS.
 */
export function jobs(pods: AirflowPods): V1Job[] {
  const { model, settings, catalogue } = pods;
  const job = (component: string, template: ReturnType<typeof airflowPod>): V1Job => {
    const spec: V1JobSpec = { backoffLimit: 6, ttlSecondsAfterFinished: JOB_TTL_SECONDS, template };
    return { apiVersion: 'batch/v1', kind: 'Job', metadata: metadata(model, settings, names(model).of(`${component}-${digest(spec, 8)}`), component), spec };
  };
  const size = { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } };
  const migrate = airflowContainer(pods, 'migrate', catalogue.steps.migrate.args, catalogue.steps.migrate, { resources: size });
  const result = [
    job('migrate-db', airflowPod(pods, { component: 'migrate-db', main: migrate, dags: false, waitForMigrations: false, restartPolicy: 'OnFailure' })),
  ];
  const admin = catalogue.steps.createAdmin;
  if (admin) {
    // Creating a user that exists leaves it alone, so the Job can run again. Only this step sees the password.
    const password = admin.secrets.includes('adminPassword')
      ? [{ name: 'ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: names(model).credentials, key: ADMIN_PASSWORD } } }]
      : [];
    const create = airflowContainer(pods, 'create-user', admin.args, admin, { env: password, resources: size }, [], ['ADMIN_PASSWORD']);
    result.push(
      job('create-user', airflowPod(pods, { component: 'create-user', main: create, dags: false, waitForMigrations: true, restartPolicy: 'OnFailure' })),
    );
  }
  return result;
}

export function isKubernetesExecutor(model: Model): boolean {
  return model.airflow.executor === 'KubernetesExecutor';
}
