import type { SecretRef } from '../../schema/generated/types.ts';
import { schemaAt } from '../validate/schema-walk.ts';

export interface SecretUse {
  /** Where the reference is written in the spec. */
  path: (string | number)[];
  ref: SecretRef;
}

/**
 * Every secret reference of a spec, in document order, with its path.
 * Environment overlays are left out: they count once merged into the spec
 * they apply to. A connection's `uri` is plain text, not a reference.
 */
export function collectSecretUses(spec: unknown): SecretUse[] {
  const found: SecretUse[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (value === null || typeof value !== 'object') return;
    if (!Array.isArray(value) && Object.keys(value).length === 1) {
      const title = schemaAt(path, spec)?.title;
      if (title === 'SecretRef' || (title === 'Connection' && !('uri' in value))) {
        found.push({ path, ref: value as SecretRef });
        return;
      }
    }
    for (const [key, child] of Object.entries(value)) {
      if (path.length === 0 && key === 'environments') continue;
      visit(child, [...path, Array.isArray(value) ? Number(key) : key]);
    }
  };
  visit(spec, []);
  return found;
}

/** One key per distinct secret; a plain value is keyed by position, so the key never holds it. */
export function secretKey(use: SecretUse | SecretRef): string {
  const ref = 'ref' in use ? use.ref : use;
  if (ref.ssm !== undefined) return `ssm:${ref.ssm}`;
  if (ref.env !== undefined) return `env:${ref.env}`;
  if (ref.file !== undefined) return `file:${ref.file}`;
  return 'path' in use ? `value@${use.path.join('.')}` : 'value';
}

/** How a reference is named to people: never its value. */
export function describeRef(ref: SecretRef): string {
  if (ref.ssm !== undefined) return `SSM parameter ${ref.ssm}`;
  if (ref.env !== undefined) return `environment variable ${ref.env}`;
  if (ref.file !== undefined) return `file ${ref.file}`;
  return 'a plain-text value';
}
