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

/**
 * The S3 access a deployment needs, decided once for every AWS target:
 * remote task logs are read, written and deleted; DAGs are only read.
 */
export function s3Grants(model: Model): S3Grant[] {
  const grants: S3Grant[] = [];
  if (model.logging.remote)
    grants.push({ purpose: 'remote task logs', ...s3Location(model.logging.remote.s3), actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] });
  if (model.dags.kind === 's3')
    grants.push({ purpose: 'DAGs', bucket: model.dags.bucket, prefix: model.dags.prefix.replace(/\/+$/, ''), actions: ['s3:GetObject'] });
  return grants;
}

/** The key pattern a grant covers, and the `s3:prefix` values its ListBucket is limited to. */
export function grantKeys(grant: Pick<S3Grant, 'prefix'>): { objects: string; listPrefixes?: string[] } {
  return grant.prefix ? { objects: `${grant.prefix}/*`, listPrefixes: [grant.prefix, `${grant.prefix}/*`] } : { objects: '*' };
}
