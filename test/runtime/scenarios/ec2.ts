import type { ScenarioDefinition } from './scenario.ts';

export const ec2Scenarios: ScenarioDefinition[] = [
  {
    // The instance fetches every secret from SSM at boot; without secrets.adminUser, Airflow 3's SimpleAuthManager admin logs in.
    name: 'ec2: the compose bundle after fetch-secrets.sh, Airflow 3, no admin user',
    target: 'ec2',
    spec: {
      yaml: `apiVersion: afc/v1
name: host
airflow: { version: "3.3.2", executor: LocalExecutor }
dags: { image: {} }
database: { managed: { storageGb: 20 } }
secrets:
  fernetKey: { ssm: /host/fernet_key }
  apiSecretKey: { ssm: /host/api_secret_key }
  jwtSecret: { ssm: /host/jwt_secret }
connections:
  aws_default: { uri: "aws://?region_name=eu-west-1" }
  warehouse: { ssm: /host/conn/warehouse }
variables:
  env_name: host
logging:
  remote: { s3: s3://host-airflow-logs/host, connId: aws_default }
targets:
  ec2: { region: eu-west-1, instanceType: t3.large }
`,
    },
  },
];
