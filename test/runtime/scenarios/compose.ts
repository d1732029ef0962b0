import type { ScenarioDefinition } from './scenario.ts';

/** Plain-value secrets keep a variant self-contained; the examples use ssm and file references. */
const KEYS = `secrets:
  fernetKey: { value: "ZmVybmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY=" }
  apiSecretKey: { ssm: /variant/api_secret_key }
  adminUser:
    username: admin
    email: admin@example.com
    password: { ssm: /variant/admin_password }
`;

export const composeScenarios: ScenarioDefinition[] = [
  { name: 'compose, LocalExecutor, Airflow 3 (examples/local)', target: 'compose', spec: { example: 'local' } },
  {
    name: 'compose, LocalExecutor, Airflow 2, DAGs in the image',
    target: 'compose',
    spec: {
      yaml: `apiVersion: afc/v1
name: legacy
airflow: { version: "2.11.2", executor: LocalExecutor }
dags: { image: {} }
database: { managed: {} }
${KEYS}connections:
  warehouse: { ssm: /variant/conn/warehouse }
variables:
  greeting: { ssm: /variant/greeting }
  plain: "a value with 'quotes' and $dollars"
`,
    },
  },
  {
    // The shell that runs compose exports AWS credentials (AFC3105); Airflow starts after dags-sync-init's first sync.
    name: 'compose, LocalExecutor, Airflow 3, DAGs from S3',
    target: 'compose',
    spec: {
      yaml: `apiVersion: afc/v1
name: synced
airflow: { version: "3.1.8", executor: LocalExecutor }
dags: { s3: { bucket: afc-compose-dags, prefix: dags/, period: 20s } }
database: { managed: {} }
${KEYS}  jwtSecret: { ssm: /variant/jwt_secret }
variables:
  env_name: synced
`,
    },
  },
  {
    name: 'compose, CeleryExecutor, Airflow 3',
    target: 'compose',
    spec: {
      yaml: `apiVersion: afc/v1
name: celery
airflow: { version: "3.3.2", executor: CeleryExecutor }
dags: { path: ./dags }
database: { managed: {} }
broker: { managed: {} }
components:
  workers: { replicas: 1, concurrency: 4 }
${KEYS}  jwtSecret: { ssm: /variant/jwt_secret }
connections:
  warehouse: { ssm: /variant/conn/warehouse }
variables:
  env_name: celery
`,
      files: { 'dags/.keep': '' },
    },
  },
];
