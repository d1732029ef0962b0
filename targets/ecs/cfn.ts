import { randomBytes } from 'node:crypto';
import { Sub, sub, subLiteral, type Intrinsic } from '../../compiler/emit/intrinsic.ts';
import type { SecretRef } from '../../schema/generated/types.ts';

/** A CloudFormation resource. */
export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string[];
  Condition?: string;
  DeletionPolicy?: 'Delete' | 'Retain' | 'Snapshot';
  UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot';
}
export type Resources = Record<string, Resource>;

/**
 * Marks the attribute tokens of this process: a spec's text cannot hold one
 * (it would otherwise become a substitution: a variable `⟦AWS::AccountId⟧`).
 */
const TOKEN_NONCE = randomBytes(12).toString('hex');
const TOKEN = new RegExp(`⟦${TOKEN_NONCE}:([^⟧]+)⟧`, 'g');

/**
 * A value that refers to a resource's attribute inside otherwise plain text
 * (a database host inside a URL): written as a token of this process
 * (`⟦<nonce>:Database.Endpoint.Address⟧`) and turned into a `!Sub` by `text()`.
 */
export function attribute(resource: string, name: string): string {
  return `⟦${TOKEN_NONCE}:${resource}.${name}⟧`;
}

/** Plain text, or a `!Sub` when it holds attribute tokens (any other `${` kept literal). */
export function text(value: string): string | Intrinsic {
  if (!value.includes(`⟦${TOKEN_NONCE}:`)) return value;
  return Sub(subLiteral(value).replace(TOKEN, '${$1}'));
}

/** The ARN of an SSM parameter in this stack's account and region. */
export function parameterArn(ref: SecretRef): Intrinsic {
  return sub`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${ref.ssm!}`;
}

/** A logical ID from a component name: `dag-processor` → `DagProcessor`. */
export function logicalId(...parts: string[]): string {
  return parts
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

export const tags = (name: string, component: string) => [
  { Key: 'afc:deployment', Value: name },
  { Key: 'afc:component', Value: component },
];

/** Lists read as tables, one entry a line: a changed variable is a one-line diff. */
export function cloudFormationFlowItems(path: readonly string[]): boolean {
  return [
    'Environment',
    'Secrets',
    'DependsOn',
    'PortMappings',
    'MountPoints',
    'Tags',
    'SecurityGroupIngress',
    'TargetGroupAttributes',
    'LoadBalancerAttributes',
  ].includes(path.at(-1) ?? '');
}

/** CloudFormation's conventional order: what a template is, then what it takes, makes and gives. */
export function cloudFormationKeyOrder(path: readonly string[]): readonly string[] | undefined {
  if (path.length === 0) return ['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Conditions', 'Resources', 'Outputs'];
  if (path.length === 2 && path[0] === 'Resources') return ['Type', 'Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Properties'];
  if (path.at(-1) === 'ContainerDefinitions')
    return [
      'Name',
      'Image',
      'Essential',
      'EntryPoint',
      'Command',
      'Environment',
      'Secrets',
      'PortMappings',
      'MountPoints',
      'DependsOn',
      'HealthCheck',
      'LogConfiguration',
    ];
  if (path.at(-1) === 'Environment' || path.at(-1) === 'Secrets') return ['Name', 'Value', 'ValueFrom'];
  if (path.at(-1) === 'Tags') return ['Key', 'Value'];
  if (path.length === 2 && path[0] === 'Outputs') return ['Description', 'Value', 'Export'];
  if (path.length === 2 && path[0] === 'Parameters') return ['Type', 'Description', 'Default'];
  return undefined;
}
