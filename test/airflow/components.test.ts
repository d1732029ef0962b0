import { describe, expect, it } from 'vitest';
import { airflowCatalogue, migrationScript, needsSetting } from '../../compiler/airflow/components.ts';
import { MINIMAL, modelOf } from '../support/spec.ts';

const CELERY = `${MINIMAL.replace('"3.1.3"', '"3.1.3"\n  executor: CeleryExecutor')}broker: { managed: {} }
components: { flower: { enabled: true }, webserver: { port: 9090 } }
database: { managed: {} }
`;

describe('the Airflow component catalogue', () => {
  it('runs the api-server, a DAG processor and workers that wait for it on Airflow 3', () => {
    const catalogue = airflowCatalogue(modelOf(CELERY));
    expect(catalogue.components.map((c) => [c.name, c.args.join(' ')])).toEqual([
      ['api-server', 'api-server'],
      ['scheduler', 'scheduler'],
      ['dag-processor', 'dag-processor'],
      ['triggerer', 'triggerer'],
      ['worker', 'celery worker --queues default'],
      ['flower', 'celery flower'],
    ]);
    // Liveness never reads the database (a slow one would restart every api-server); readiness and load balancers do.
    expect(catalogue.web.liveness.http).toEqual({ path: '/api/v2/version', port: 9090 });
    expect(catalogue.web.readiness).toEqual({ path: '/api/v2/monitor/health', port: 9090 });
    expect(catalogue.web.environment).toEqual([{ name: 'AIRFLOW__API__PORT', value: '9090' }]);
    expect(catalogue.components.find((c) => c.role === 'worker')!.after).toEqual(['web']);
  });

  it('runs the webserver, with DAG parsing in the scheduler, on Airflow 2', () => {
    const catalogue = airflowCatalogue(modelOf(CELERY.replace('"3.1.3"', '"2.11.0"')));
    expect(catalogue.components.map((c) => c.name)).toEqual(['webserver', 'scheduler', 'triggerer', 'worker', 'flower']);
    expect(catalogue.web.liveness.http).toEqual({ path: '/api/v1/version', port: 9090 });
    expect(catalogue.web.readiness).toEqual({ path: '/health', port: 9090 });
    expect(catalogue.web.environment).toEqual([{ name: 'AIRFLOW__WEBSERVER__WEB_SERVER_PORT', value: '9090' }]);
    expect(catalogue.components.find((c) => c.role === 'worker')!.after).toEqual([]);
  });

  it('writes one migration script, the admin password a platform reference, every user word quoted for bash', () => {
    const spec = `${MINIMAL}  adminUser: { username: admin, email: ops@acme.io, lastName: "O'Brien", password: { ssm: /analytics/admin } }\n`;
    const catalogue = airflowCatalogue(modelOf(spec));
    expect(migrationScript(catalogue, '"$PW"')).toBe(
      "set -euo pipefail\nairflow db migrate\nairflow users create --role Admin --username admin --email ops@acme.io --firstname Admin --lastname 'O'\\''Brien' --password \"$PW\"\n",
    );
    expect(catalogue.steps.createAdmin!.secrets).toContain('adminPassword');
    expect(catalogue.steps.waitForMigrations.secrets).not.toContain('adminPassword');
  });

  it('scopes the steps to the database settings and the auth manager', () => {
    const { config } = airflowCatalogue(modelOf(MINIMAL)).steps.migrate;
    expect(['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN', 'AIRFLOW__CORE__AUTH_MANAGER', 'AIRFLOW__CORE__FERNET_KEY'].map((n) => needsSetting(config, n))).toEqual([
      true,
      true,
      false,
    ]);
  });
});
