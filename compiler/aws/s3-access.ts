import type { Model } from '../normalize/model.ts';

/** `s3://bucket/prefix` → the bucket and the key prefix without slashes at its ends. */
export function s3Location(url: string): { bucket: string; prefix: string } {
  const [, bucket, prefix] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url)!;
  return { bucket: bucket!, prefix: prefix!.replace(/\/+$/, '') };
}

/** What Airflow's role may do under one S3 prefix, and why. */
export interface S3Grant {
  purpose: string;
  bucket: string;
  prefix: string;
  actions: string[];
}

/** What one process does in S3: with the remote task logs (the catalogue's `remoteLogs`), and whether it copies the DAGs from S3. */
export interface S3Needs {
  logs?: 'read' | 'write';
  dags?: boolean;
}

/**
 * The S3 access a deployment needs, decided once for every AWS target:
 * remote task logs are read, written and deleted; DAGs are only read. With
 * `needs`, only what one process does (a role per process, as on ECS): a log
 * reader (the UI) only reads, and no grant for what it does not touch.
 */
export function s3Grants(model: Model, needs: S3Needs = { logs: 'write', dags: true }): S3Grant[] {
  const grants: S3Grant[] = [];
  if (model.logging.remote && needs.logs)
    grants.push({
      purpose: 'remote task logs',
      ...s3Location(model.logging.remote.s3),
      actions: needs.logs === 'write' ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] : ['s3:GetObject'],
    });
  if (model.dags.kind === 's3' && needs.dags)
    grants.push({ purpose: 'DAGs', bucket: model.dags.bucket, prefix: model.dags.prefix.replace(/\/+$/, ''), actions: ['s3:GetObject'] });
  return grants;
}

/**
 * The key pattern a grant covers, and the `s3:prefix` values its ListBucket
 * is limited to: IAM patterns, the prefix written literally ({@link iamLiteral}).
 */
export function grantKeys(grant: Pick<S3Grant, 'prefix'>): { objects: string; listPrefixes?: string[] } {
  if (!grant.prefix) return { objects: '*' };
  const prefix = iamLiteral(grant.prefix);
  return { objects: `${prefix}/*`, listPrefixes: [prefix, `${prefix}/*`] };
}

/**
 * Text that an IAM policy's Resource or a StringLike condition matches
 * literally: `*` and `?` are wildcards there and `${…}` a policy variable, so
 * each of `$`, `*` and `?` is written as the policy variable that stands for
 * it, `${$}`, `${*}`, `${?}` (IAM User Guide, "IAM policy elements: Variables
 * and tags", special characters; docs/airflow-facts.md §15).
 */
export function iamLiteral(text: string): string {
  return text.replace(/[$*?]/g, (c) => `\${${c}}`);
}
