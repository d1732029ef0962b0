import type { ScenarioDefinition } from './scenario.ts';

/** Airflow's keys, an admin, a connection and a variable, each an SSM parameter under `/<prefix>/` (External Secrets reads only SSM). */
const keysAndValues = (prefix: string) => `secrets:
  fernetKey: { ssm: /${prefix}/fernet_key }
  apiSecretKey: { ssm: /${prefix}/api_secret_key }
  jwtSecret: { ssm: /${prefix}/jwt_secret }
  adminUser:
    username: admin
    email: admin@example.com
    password: { ssm: /${prefix}/admin_password }
connections:
  aws_default: { uri: "aws://?region_name=eu-west-1" }
  warehouse: { ssm: /${prefix}/conn/warehouse }
variables:
  greeting: { ssm: /${prefix}/greeting }
`;

/**
 * The eks target and the AWS-free kubernetes target, run by the Kubernetes reader
 * (readers/kubernetes.ts): every Deployment, StatefulSet and Job of the
 * output as pods, Services as cluster DNS, the ExternalSecrets rendered from
 * SSM, and an API server for what the pods ask of the cluster.
 */
export const kubernetesScenarios: ScenarioDefinition[] = [
  // An external RDS database (TLS), Redis in the cluster, DAGs synced from S3, logs to S3, secrets through External Secrets.
  { name: 'eks, CeleryExecutor, Airflow 3 (examples/eks-celery)', target: 'eks', spec: { example: 'eks-celery' } },
  {
    // The development Postgres and Redis in the cluster (StatefulSets with volume claims; Redis with a password), a rendered Secret, DAGs in the image,
    // task logs read from the worker's log server, the UI behind its Service (no Ingress).
    // Airflow 3.1: the Celery workers and the rest of Airflow 3 on the release before the newest minors (docs/airflow-facts.md §14).
    name: 'kubernetes, CeleryExecutor, Airflow 3, database in the cluster',
    target: 'kubernetes',
    spec: {
      yaml: `apiVersion: afc/v1
name: cluster
airflow: { version: "3.1.3", executor: CeleryExecutor }
dags: { image: {} }
database: { managed: { password: { ssm: /cluster/db_password } } }
broker: { managed: { password: { ssm: /cluster/redis_password } } }
components:
  workers: { replicas: 1, concurrency: 4 }
${keysAndValues('cluster')}  plain: "a value with 'quotes', $(DOLLAR) and $dollars"
targets:
  kubernetes: { namespace: data }
`,
    },
  },
  {
    // examples/eks-rds with DAGs from S3 (the harness has no git server): task pods through the cluster's API.
    name: 'eks, KubernetesExecutor, Airflow 3, DAGs from S3',
    target: 'eks',
    spec: {
      yaml: `apiVersion: afc/v1
name: analytics
airflow:
  version: "3.3.2"
  image: { repository: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/airflow, tag: "3.3.2-python3.12" }
  executor: KubernetesExecutor
  config:
    kubernetes_executor: { delete_worker_pods: true, delete_worker_pods_on_failure: false }
  env: { TZ: UTC }
dags:
  s3: { bucket: acme-analytics-dags, prefix: dags/, period: 30s }
database:
  external:
    host: analytics-airflow.c9x8y7z6w5v4.eu-west-1.rds.amazonaws.com
    name: airflow
    user: airflow
    password: { ssm: /analytics/db_password }
    sslmode: require
components:
  webserver: { replicas: 1 }
  scheduler: { replicas: 1 }
${keysAndValues('analytics')}  env_name: prod
logging:
  remote: { s3: s3://acme-airflow-logs/analytics, connId: aws_default }
network:
  hostname: airflow.analytics.acme.io
  allowedCidrs: [10.0.0.0/8]
targets:
  eks:
    namespace: airflow
    ingress: { className: alb }
    serviceAccount: { roleArn: "arn:aws:iam::123456789012:role/analytics-airflow" }
    externalSecrets: { enabled: true, storeName: aws-parameter-store }
`,
    },
  },
  {
    // Airflow 2's webserver and task command, task pods of the kubernetes target (a rendered Secret, DAGs in the image), logs to S3.
    name: 'kubernetes, KubernetesExecutor, Airflow 2, DAGs in the image',
    target: 'kubernetes',
    spec: {
      yaml: `apiVersion: afc/v1
name: legacy
airflow: { version: "2.11.2", executor: KubernetesExecutor }
dags: { image: {} }
database: { managed: {} }
${keysAndValues('legacy')}logging:
  remote: { s3: s3://legacy-airflow-logs/tasks, connId: aws_default }
targets:
  kubernetes: { namespace: legacy }
`,
    },
  },
];
