import { loadSpec } from '../../compiler/load/load-spec.ts';
import { validateLoaded, type ValidateOptions } from '../../compiler/validate/validate-spec.ts';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.ts';

/** A minimal valid Airflow 3 spec, as YAML text, to append to or edit in tests. */
export const MINIMAL = `apiVersion: afc/v1
name: analytics
airflow:
  version: "3.1.3"
secrets:
  fernetKey: { ssm: /analytics/fernet_key }
  apiSecretKey: { ssm: /analytics/api_secret_key }
  jwtSecret: { ssm: /analytics/jwt_secret }
`;

/** Validates YAML text; returns `code@line:col message` lines, the shape people read. */
export function check(text: string, options: ValidateOptions = {}): string[] {
  return diagnosticsOf(text, options).map((d) => `${d.severity} ${d.code}@${d.line}:${d.column} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`);
}

export function diagnosticsOf(text: string, options: ValidateOptions = {}): Diagnostic[] {
  const loaded = loadSpec('spec.yaml', Buffer.from(text));
  if (!loaded.spec) return loaded.diagnostics;
  return validateLoaded(loaded.spec, options).diagnostics;
}
