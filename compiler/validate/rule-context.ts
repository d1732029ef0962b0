import type { AirflowSpec } from '../../schema/generated/types.ts';
import type { Code } from '../diagnostics/codes.ts';
import type { Severity } from '../diagnostics/diagnostic.ts';
import type { Problem, SpecPath } from '../diagnostics/problem.ts';
import type { TargetManifest } from '../targets/manifest.ts';
import type { CheckTarget } from './schema-check.ts';

/** What a rule sees: the spec (already schema-valid) and a way to report against its positions. */
export interface RuleContext {
  spec: AirflowSpec;
  /** The spec's path, which `file:` references are relative to. */
  file: string;
  /** The targets whose limits apply: the one named (`named`), or every known target. */
  targets: { named: boolean; manifests: readonly TargetManifest[] };
  report(severity: Severity, code: Code, path: SpecPath, message: string, hint?: string, at?: 'key' | 'value'): void;
}

export type Rule = (ctx: RuleContext) => void;

/** Runs rules over a schema-valid document and returns what they reported. */
export function runRules(rules: readonly Rule[], checked: CheckTarget, targets: RuleContext['targets']): Problem[] {
  const problems: Problem[] = [];
  const ctx: RuleContext = {
    spec: checked.data as AirflowSpec,
    file: checked.file,
    targets,
    report(severity, code, path, message, hint, at = 'key') {
      problems.push({ code, severity, path, message, at, ...(hint ? { hint } : {}) });
    },
  };
  for (const rule of rules) rule(ctx);
  return problems;
}
