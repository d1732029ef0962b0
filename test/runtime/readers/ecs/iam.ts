import { TemplateError } from './intrinsics.ts';
import type { Stack } from './stack.ts';

interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: unknown;
  Principal?: unknown;
}

/** One identity-based policy of a role, named for messages. */
export interface AttachedPolicy {
  source: string;
  statements: Statement[];
}

/**
 * AWS managed policies that afc's templates attach, with their documents as
 * AWS publishes them. Another one is an error: its statements are not known.
 */
const AWS_MANAGED: Record<string, Statement[]> = {
  'service-role/AmazonECSTaskExecutionRolePolicy': [
    {
      Effect: 'Allow',
      Action: [
        'ecr:GetAuthorizationToken',
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchGetImage',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ],
      Resource: '*',
    },
  ],
};

/**
 * The identity-based policies of the stack's role whose ARN is `roleArn`:
 * its inline Policies, its ManagedPolicyArns (AWS managed policies the
 * harness knows, and the stack's own AWS::IAM::ManagedPolicy), and the
 * stack's AWS::IAM::Policy and ManagedPolicy resources that name it in Roles.
 */
export function rolePolicies(stack: Stack, roleArn: unknown, where: string): AttachedPolicy[] {
  const role = stack.find('AWS::IAM::Role', roleArn, 'Arn');
  if (!role) throw new TemplateError(`${where}: ${String(roleArn)} is no role of the stack; the harness evaluates only the stack's own roles`);
  if (stack.property(role, 'PermissionsBoundary') !== undefined)
    throw new TemplateError(`Resources.${role}.Properties.PermissionsBoundary: the runtime harness does not evaluate permissions boundaries`);
  const policies: AttachedPolicy[] = [];
  for (const [i, policy] of (
    (stack.property(role, 'Policies') ?? []) as { PolicyName: string; PolicyDocument: { Statement: Statement | Statement[] } }[]
  ).entries()) {
    policies.push({ source: `Resources.${role}.Properties.Policies[${i}] (${policy.PolicyName})`, statements: list(policy.PolicyDocument.Statement) });
  }
  for (const arn of (stack.property(role, 'ManagedPolicyArns') ?? []) as string[]) {
    const awsManaged = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
    const own = stack.find('AWS::IAM::ManagedPolicy', arn);
    if (awsManaged !== undefined) {
      const statements = AWS_MANAGED[awsManaged];
      if (!statements)
        throw new TemplateError(
          `Resources.${role}.Properties.ManagedPolicyArns: the runtime harness does not know the AWS managed policy ${awsManaged} (it knows ${Object.keys(AWS_MANAGED).join(', ')})`,
        );
      policies.push({ source: `AWS managed policy ${awsManaged}`, statements });
    } else if (own) {
      policies.push(documentOf(stack, own));
    } else {
      throw new TemplateError(`Resources.${role}.Properties.ManagedPolicyArns: ${arn} is neither an AWS managed policy nor one of the stack's`);
    }
  }
  const roleName = stack.physicalId(role);
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const id of stack.ofType(type)) {
      const roles = (stack.property(id, 'Roles') ?? []) as string[];
      if (roles.includes(roleName) && !policies.some((p) => p.source.startsWith(`Resources.${id}.`))) policies.push(documentOf(stack, id));
    }
  }
  return policies;
}

function documentOf(stack: Stack, id: string): AttachedPolicy {
  const document = stack.property(id, 'PolicyDocument') as { Statement: Statement | Statement[] } | undefined;
  if (!document) throw new TemplateError(`Resources.${id}: no PolicyDocument`);
  return { source: `Resources.${id}.Properties.PolicyDocument`, statements: list(document.Statement) };
}

/**
 * IAM's decision for one request under identity-based policies: an explicit
 * Deny wins, then any Allow; otherwise the request is implicitly denied.
 * Actions match case-insensitively with `*` and `?`; resource ARNs match
 * segment by segment. A statement that would decide the request under a
 * Condition is an error: the harness has no request context to evaluate it.
 */
export function decide(policies: readonly AttachedPolicy[], action: string, resource: string): { allowed: boolean; by?: string } {
  let allowedBy: string | undefined;
  for (const policy of policies) {
    for (const [i, statement] of policy.statements.entries()) {
      if (!matchesAction(statement, action) || !matchesResource(statement, resource)) continue;
      const where = `${policy.source}, statement ${statement.Sid ?? i}`;
      if (statement.Condition !== undefined)
        throw new TemplateError(`${where}: decides ${action} on ${resource} under a Condition, which the runtime harness cannot evaluate`);
      if (statement.Effect === 'Deny') return { allowed: false, by: where };
      if (statement.Effect === 'Allow') allowedBy ??= where;
      else throw new TemplateError(`${where}: Effect ${String(statement.Effect)}`);
    }
  }
  return allowedBy ? { allowed: true, by: allowedBy } : { allowed: false };
}

function matchesAction(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return list(statement.Action).some((p) => glob(p.toLowerCase(), action.toLowerCase()));
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((p) => glob(p.toLowerCase(), action.toLowerCase()));
  return false;
}

function matchesResource(statement: Statement, resource: string): boolean {
  if (statement.Resource !== undefined) return list(statement.Resource).some((p) => arnMatches(p, resource));
  if (statement.NotResource !== undefined) return !list(statement.NotResource).some((p) => arnMatches(p, resource));
  return false;
}

/** ARN patterns match segment by segment (partition, service, region, account, resource); `*` alone matches everything. */
function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = pattern.split(':');
  const a = arn.split(':');
  if (p.length < 6 || a.length < 6) return false;
  const segments = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(':')];
  const [ps, as] = [segments(p), segments(a)];
  return ps.every((segment, i) => glob(segment, as[i]!));
}

/**
 * IAM's matching: `*` any run of characters, `?` one character, and the
 * policy variables that stand for the special characters, `${*}`, `${?}` and
 * `${$}`, those characters literally (IAM User Guide, "IAM policy elements:
 * Variables and tags"). Any other `${…}` is a variable of the request, which
 * the harness has no context for.
 */
function glob(pattern: string, value: string): boolean {
  const source = pattern.replace(/\$\{([^}]*)\}|[*?]|[.+^$()|[\]\\{}]/g, (token, variable: string | undefined) => {
    if (variable !== undefined) {
      if (variable === '*' || variable === '?' || variable === '$') return `\\${variable}`;
      throw new TemplateError(`${pattern}: policy variable \${${variable}}, which the runtime harness has no request to evaluate`);
    }
    return token === '*' ? '.*' : token === '?' ? '.' : `\\${token}`;
  });
  return new RegExp(`^${source}$`, 's').test(value);
}

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
