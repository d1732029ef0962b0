import type { V1Job, V1JobSpec } from '@kubernetes/client-node';
import type { Model } from '../../compiler/normalize/model.ts';
import { digest, metadata, names } from './cluster.ts';
import { airflowContainer, airflowPod, type AirflowPods } from './pods.ts';

/** Key of the credentials Secret with the admin password. */
export const ADMIN_PASSWORD = 'admin.password';

/**
 * The migration, and the admin user, as Jobs. A Job's pod spec cannot
 * change, so each name ends with a digest of its spec: a new image, version
 * or configuration is a new Job, and the migration runs again.
 */
export function jobs(pods: AirflowPods): V1Job[] {
  const { model, settings, catalogue } = pods;
  const job = (component: string, template: ReturnType<typeof airflowPod>): V1Job => {
    const spec: V1JobSpec = { backoffLimit: 6, template };
    return { apiVersion: 'batch/v1', kind: 'Job', metadata: metadata(model, settings, names(model).of(`${component}-${digest(spec, 8)}`), component), spec };
  };
  const size = { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } };
  const migrate = airflowContainer(pods, 'migrate', catalogue.steps.migrate.args, { resources: size });
  const result = [
    job('migrate-db', airflowPod(pods, { component: 'migrate-db', main: migrate, dags: false, waitForMigrations: false, restartPolicy: 'OnFailure' })),
  ];
  const admin = catalogue.steps.createAdmin;
  if (admin) {
    // Creating a user that exists leaves it alone, so the Job can run again. Only this step sees the password.
    const password = admin.secrets.includes('adminPassword')
      ? [{ name: 'ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: names(model).credentials, key: ADMIN_PASSWORD } } }]
      : [];
    const create = airflowContainer(pods, 'create-user', [...admin.args, '$(ADMIN_PASSWORD)'], { env: password, resources: size });
    result.push(
      job('create-user', airflowPod(pods, { component: 'create-user', main: create, dags: false, waitForMigrations: true, restartPolicy: 'OnFailure' })),
    );
  }
  return result;
}

export function isKubernetesExecutor(model: Model): boolean {
  return model.airflow.executor === 'KubernetesExecutor';
}
