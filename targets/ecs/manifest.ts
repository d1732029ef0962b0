import type { DerivedName } from '../../compiler/names.ts';
import type { TargetManifest } from '../../compiler/targets/manifest.ts';

// Elastic Load Balancing caps load balancer and target group names at 32.
export const LOAD_BALANCER: DerivedName = { resource: 'Application Load Balancer', suffix: '-alb', limit: 32 };
export const TARGET_GROUP: DerivedName = { resource: 'ALB target group', suffix: '-web', limit: 32 };
// ElastiCache replication group ids: 40; RDS instance identifiers: 63.
export const REPLICATION_GROUP: DerivedName = { resource: 'ElastiCache replication group', suffix: '-redis', limit: 40 };
export const DB_INSTANCE: DerivedName = { resource: 'RDS DB instance', suffix: '-db', limit: 63 };

/** The ecs target as afc knows it before loading it. */
export const ecsManifest: TargetManifest = {
  name: 'ecs',
  description: 'one CloudFormation template for ECS (Fargate or EC2)',
  settingsKey: 'ecs',
  supports: {
    executors: ['LocalExecutor', 'CeleryExecutor'],
    dagSources: ['image', 's3'],
    why: {
      KubernetesExecutor: 'ECS has no Kubernetes API',
      path: 'tasks cannot see a folder beside the spec',
      git: 'git-sync needs its SSH key as a file, which ECS cannot mount',
    },
  },
  codes: {
    AFC3501: { title: 'ecs settings missing' },
    AFC3502: { title: 'executor not possible on ecs', replacedBy: 'AFC2022' },
    AFC3503: { title: 'DAG source not possible on ecs', replacedBy: 'AFC2022' },
    AFC3504: { title: 'RDS master password missing' },
    AFC3505: { title: 'secret not in SSM' },
    AFC3506: { title: 'not a Fargate task size' },
    AFC3507: { title: 'EC2 launch type needs capacity' },
    AFC3508: { title: 'UI over plain HTTP' },
    AFC3509: { title: 'RDS engine version without a minor' },
    AFC3510: { title: 'setting ignored by ecs' },
    AFC3511: { title: 'worker autoscaling from zero' },
    AFC3512: { title: 'task definition over the ECS limit' },
    AFC3513: { title: 'template over the CloudFormation limit' },
  },
  derivedNames: [LOAD_BALANCER, TARGET_GROUP, REPLICATION_GROUP, DB_INSTANCE],
  // RDS and ElastiCache identifiers may not hold two hyphens in a row.
  nameRules: [{ holds: '--', refusedBy: 'RDS and ElastiCache identifiers', fix: (name) => name.replace(/-+/g, '-') }],
};
