import { assert, describe, expect, it } from 'vitest';
import { loadSpec } from '../../compiler/load/load-spec.ts';
import { DEFAULTS, normalize } from '../../compiler/normalize/normalize.ts';
import { schemaAt } from '../../compiler/validate/schema-walk.ts';
import type { AirflowSpec } from '../../schema/generated/types.ts';
import { MINIMAL, modelOf } from '../support/spec.ts';

const schemaDefault = (path: (string | number)[], data: unknown = {}) => schemaAt(path, data)?.default;

describe('normalize', () => {
  it('applies the same defaults the schema documents', () => {
    // Each pair: where the schema states a default, and the constant normalize applies.
    const data = {
      airflow: { image: {} },
      dags: { git: {}, s3: {} },
      database: { managed: {}, external: {} },
      broker: { managed: {} },
      components: { webserver: {}, scheduler: {}, dagProcessor: {}, triggerer: {}, workers: { autoscaling: {} }, flower: {} },
      secrets: { adminUser: {} },
      logging: { remote: {} },
    } as const;
    const pairs: [(string | number)[], unknown][] = [
      [['airflow', 'image', 'repository'], DEFAULTS.image.repository],
      [['airflow', 'image', 'pullPolicy'], DEFAULTS.image.pullPolicy],
      [['airflow', 'executor'], DEFAULTS.executor],
      [['dags', 'git', 'branch'], DEFAULTS.git.branch],
      [['dags', 'git', 'subPath'], DEFAULTS.git.subPath],
      [['dags', 'git', 'period'], DEFAULTS.git.period],
      [['dags', 's3', 'prefix'], DEFAULTS.s3.prefix],
      [['dags', 's3', 'period'], DEFAULTS.s3.period],
      [['database', 'managed', 'engine'], DEFAULTS.managedDatabase.engine],
      [['database', 'managed', 'version'], DEFAULTS.managedDatabase.version],
      [['database', 'managed', 'instanceClass'], DEFAULTS.managedDatabase.instanceClass],
      [['database', 'managed', 'storageGb'], DEFAULTS.managedDatabase.storageGb],
      [['database', 'external', 'port'], DEFAULTS.externalDatabase.port],
      [['database', 'external', 'name'], DEFAULTS.externalDatabase.name],
      [['database', 'external', 'sslmode'], DEFAULTS.externalDatabase.sslmode],
      [['broker', 'managed', 'nodeType'], DEFAULTS.managedBroker.nodeType],
      [['components', 'workers', 'autoscaling', 'min'], DEFAULTS.workers.autoscalingMin],
      [['components', 'workers', 'queues'], DEFAULTS.workers.queues],
      [['components', 'flower', 'enabled'], DEFAULTS.flower.enabled],
      [['components', 'flower', 'port'], DEFAULTS.flower.port],
      [['secrets', 'adminUser', 'username'], DEFAULTS.adminUser.username],
      [['secrets', 'adminUser', 'firstName'], DEFAULTS.adminUser.firstName],
      [['secrets', 'adminUser', 'lastName'], DEFAULTS.adminUser.lastName],
      [['logging', 'remote', 'connId'], DEFAULTS.logging.connId],
      [['logging', 'retentionDays'], DEFAULTS.logging.retentionDays],
      [['logging', 'level'], DEFAULTS.logging.level],
    ];
    for (const component of ['webserver', 'scheduler', 'triggerer', 'workers', 'flower'] as const) {
      const d = DEFAULTS[component] as Record<string, unknown>;
      // The scheduler's memory depends on the executor (LocalExecutor: DEFAULTS.localExecutorScheduler), so the schema states it in words.
      for (const key of ['replicas', 'cpu', 'memory', 'port'])
        if (key in d && !(component === 'flower' && key === 'replicas') && !(component === 'scheduler' && key === 'memory'))
          pairs.push([['components', component, key], d[key]]);
    }
    pairs.push([['components', 'dagProcessor', 'cpu'], DEFAULTS.dagProcessor.cpu], [['components', 'dagProcessor', 'memory'], DEFAULTS.dagProcessor.memory]);
    for (const [path, value] of pairs) expect(schemaDefault(path, data), path.join('.')).toEqual(value);
  });

  it('decides Airflow 3 facts: api-server, DAG processor, [api] secret key, JWT, execution API', () => {
    const model = modelOf(MINIMAL);
    expect(model.facts.web).toEqual({ component: 'api-server', command: ['api-server'], healthPath: '/api/v2/monitor/health', alivePath: '/api/v2/version' });
    expect(model.facts.standaloneDagProcessor).toBe(true);
    expect(model.components.dagProcessor.replicas).toBe(1);
    expect(model.facts.secretKeyEnv).toBe('AIRFLOW__API__SECRET_KEY');
    expect(model.facts.jwtSecretEnv).toBe('AIRFLOW__API_AUTH__JWT_SECRET');
    expect(model.facts.executionApiPath).toBe('/execution/');
    expect(model.airflow.image.reference).toBe('apache/airflow:3.1.3');
  });

  it('decides Airflow 2 facts: webserver, DAG parsing in the scheduler, [webserver] secret key', () => {
    const model = modelOf(MINIMAL.replace('"3.1.3"', '"2.10.5"').replace('  jwtSecret: { ssm: /analytics/jwt_secret }\n', ''));
    expect(model.facts.web).toEqual({ component: 'webserver', command: ['webserver'], healthPath: '/health', alivePath: '/api/v1/version' });
    expect(model.facts.standaloneDagProcessor).toBe(false);
    expect(model.components.dagProcessor.replicas).toBe(0);
    expect(model.facts.secretKeyEnv).toBe('AIRFLOW__WEBSERVER__SECRET_KEY');
    expect(model.facts.jwtSecretEnv).toBeUndefined();
    expect(model.secrets.jwtSecret).toBeUndefined();
  });

  it('uses the FAB auth manager on Airflow 3 only when an admin user is created', () => {
    expect(modelOf(MINIMAL).facts.authManager).toBeUndefined();
    const withAdmin = modelOf(`${MINIMAL}  adminUser: { email: ops@acme.io, password: { ssm: /analytics/admin } }\n`);
    expect(withAdmin.facts.authManager).toBe('airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager');
    expect(withAdmin.secrets.adminUser).toMatchObject({ username: 'admin', firstName: 'Admin' });
  });

  it('turns config, env, connections and variables into sorted environment variables', () => {
    const spec =
      MINIMAL.replace('"3.1.3"', '"3.1.3"\n  config:\n    dag_processor: { parsing_processes: 4 }\n    core: { load_examples: false }\n  env:\n    TZ: UTC') +
      'connections:\n  warehouse: { ssm: /analytics/conn/warehouse }\n  aws_default: { uri: "aws://?region_name=eu-west-1" }\nvariables:\n  env_name: prod\n  retries: 3\n';
    const model = modelOf(spec);
    expect(model.environment).toEqual([
      { name: 'AIRFLOW__CORE__LOAD_EXAMPLES', value: 'False' },
      { name: 'AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES', value: '4' },
      { name: 'TZ', value: 'UTC' },
    ]);
    expect(model.connections.map((c) => c.env)).toEqual(['AIRFLOW_CONN_AWS_DEFAULT', 'AIRFLOW_CONN_WAREHOUSE']);
    expect(model.variables).toEqual([
      { name: 'AIRFLOW_VAR_ENV_NAME', value: 'prod' },
      { name: 'AIRFLOW_VAR_RETRIES', value: '3' },
    ]);
  });

  it('keeps Celery-only components out of other executors, and sizes memory in MiB', () => {
    const local = modelOf(MINIMAL);
    expect(local.components.workers).toBeUndefined();
    const celery = modelOf(
      `${MINIMAL.replace('"3.1.3"', '"3.1.3"\n  executor: CeleryExecutor')}broker: { managed: {} }\ncomponents:\n  workers: { memory: 4Gi, autoscaling: { max: 8 } }\n  flower: { enabled: true }\n`,
    );
    expect(celery.components.workers).toMatchObject({ replicas: 2, memoryMiB: 4096, autoscaling: { min: 1, max: 8 }, queues: ['default'], concurrency: 14 });
    expect(celery.components.flower).toMatchObject({ port: 5555, memoryMiB: 512 });
  });

  it('is a pure function of the spec (same spec, same model)', () => {
    const loaded = loadSpec('spec.yaml', Buffer.from(MINIMAL));
    assert(loaded.ok);
    const spec = JSON.parse(JSON.stringify(loaded.spec.data)) as AirflowSpec;
    expect(normalize(spec, { file: 'spec.yaml' })).toEqual(normalize(structuredClone(spec), { file: 'spec.yaml' }));
  });
});
