import { assert } from 'vitest';
import { loadSpec } from '../../compiler/load/load-spec.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { validateLoaded, type ValidateOptions } from '../../compiler/validate/validate-spec.ts';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.ts';
import { locateProblems } from '../../compiler/diagnostics/locate.ts';

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
  if (!loaded.ok) return locateProblems(loaded.problems, loaded.text);
  return validateLoaded(loaded.spec, options).diagnostics;
}

/** The model of YAML text that must be valid (warnings allowed); fails the test, naming the errors, when it is not. */
export function modelOf(text: string, options: ValidateOptions = {}): Model {
  const loaded = loadSpec('spec.yaml', Buffer.from(text));
  assert(loaded.ok, 'the spec does not load');
  const result = validateLoaded(loaded.spec, options);
  assert(result.ok, result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  return result.model;
}
