import type { ScenarioDefinition } from './scenario.ts';

/**
 * A variant: its own lines of the spec, then what every ecs variant shares:
 * secrets (ECS reads each from SSM itself, so every one is an `ssm`
 * reference), a connection and a variable, remote logs, and the network.
 */
function variant(title: string, name: string, lines: string, options: { airflow3: boolean; ecs?: string }): ScenarioDefinition {
  const yaml = `apiVersion: afc/v1
name: ${name}
${lines}secrets:
  fernetKey: { ssm: /${name}/fernet_key }
  apiSecretKey: { ssm: /${name}/api_secret_key }
${options.airflow3 ? `  jwtSecret: { ssm: /${name}/jwt_secret }\n` : ''}  adminUser: { username: admin, email: admin@example.com, password: { ssm: /${name}/admin_password } }
connections:
  aws_default: { uri: "aws://?region_name=eu-west-1" }
  warehouse: { ssm: /${name}/conn/warehouse }
variables:
  env_name: ${name}
logging:
  remote: { s3: "s3://afc-${name}-logs/airflow" }
network:
  allowedCidrs: [10.0.0.0/8]
targets:
  ecs:
    region: eu-west-1
    vpcId: vpc-0a1b2c3d
    subnetIds: [subnet-0a1b2c3d, subnet-1a2b3c4d]
    publicSubnetIds: [subnet-2a3b4c5d, subnet-3a4b5c6d]
${options.ecs ?? ''}`;
  return { name: title, target: 'ecs', spec: { yaml } };
}

export const ecsScenarios: ScenarioDefinition[] = [
  // RDS and ElastiCache (TLS) in the stack, DAGs synced from S3 onto EFS by a service of their own, two api-servers and two workers, HTTPS at the ALB.
  { name: 'ecs, CeleryExecutor, Airflow 3 (examples/ecs-celery)', target: 'ecs', spec: { example: 'ecs-celery' } },
  // The user's own database (TLS required) and broker: no RDS or ElastiCache; DAGs synced by a sidecar in each task; HTTP alone at the ALB.
  variant(
    'ecs, CeleryExecutor, Airflow 3, external database and broker, DAG sync sidecar',
    'ecs-external',
    `airflow: { version: "3.3.2", executor: CeleryExecutor }
dags: { s3: { bucket: afc-ecs-external-dags, prefix: dags/, period: 20s } }
database:
  external: { host: db.internal, port: 5432, name: airflow, user: airflow, password: { ssm: /ecs-external/db_password }, sslmode: require }
broker:
  external: { url: { ssm: /ecs-external/broker_url } }
components:
  workers: { replicas: 1, concurrency: 4 }
`,
    { airflow3: true, ecs: '    dagsSync: sidecar\n' },
  ),
  // Airflow 2: the webserver behind the ALB, LocalExecutor (tasks and their log server in the scheduler's task), DAGs in the image, RDS and no broker.
  variant(
    'ecs, LocalExecutor, Airflow 2, DAGs in the image',
    'ecs-local',
    `airflow: { version: "2.11.2", executor: LocalExecutor }
dags: { image: {} }
database:
  managed: { version: "16.8", password: { ssm: /ecs-local/db_password } }
`,
    { airflow3: false },
  ),
];
