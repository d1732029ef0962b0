/**
 * Names afc derives from the spec's `name`, and the platform limits they must
 * respect. Targets build resource names with `derivedName` from the entries
 * here, so the rule that checks the limits and the names rendered agree.
 */
export interface DerivedName {
  resource: string;
  suffix: string;
  /** The platform's maximum length for this resource's name. */
  limit: number;
  /** Targets that create this resource. */
  targets: readonly string[];
}

export const DERIVED_NAMES: readonly DerivedName[] = [
  // Kubernetes object names are DNS labels; the longest component is the DAG processor.
  { resource: 'Kubernetes Deployment', suffix: '-dag-processor', limit: 63, targets: ['eks', 'kubernetes'] },
  // Elastic Load Balancing caps load balancer and target group names at 32.
  { resource: 'Application Load Balancer', suffix: '-alb', limit: 32, targets: ['ecs'] },
  { resource: 'ALB target group', suffix: '-web', limit: 32, targets: ['ecs'] },
  // ElastiCache replication group ids: 40; RDS instance identifiers: 63.
  { resource: 'ElastiCache replication group', suffix: '-redis', limit: 40, targets: ['ecs'] },
  { resource: 'RDS DB instance', suffix: '-db', limit: 63, targets: ['ecs'] },
];

export function derivedName(name: string, entry: DerivedName): string {
  return `${name}${entry.suffix}`;
}
