import { isScalar } from 'yaml';
import type { AirflowSpec } from '../../schema/generated/types.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { applyEnvironment, environmentNames } from '../load/apply-environment.ts';
import { readSpec, type LoadedSpec } from '../load/load-spec.ts';
import { locate, spanOf } from '../load/locate.ts';
import { normalize } from '../normalize/normalize.ts';
import type { Model } from '../normalize/model.ts';
import type { Target } from '../targets/target.ts';
import { runRules } from './rule-context.ts';
import { SPEC_RULES } from './rules/index.ts';
import { checkSchema, type CheckTarget } from './schema-check.ts';

export interface ValidateOptions {
  target?: Target;
  /** Check only this environment (merged over the base); by default the base and every environment are checked. */
  environment?: string;
}

export interface ValidateResult {
  /** The document the model came from (the environment's merged one, with --env). */
  checked?: CheckTarget;
  diagnostics: Diagnostic[];
  /** The decoded text, for code frames. */
  source?: string;
  spec?: LoadedSpec;
  /** The model of the checked spec (of `environment` when one was given), when it is valid. */
  model?: Model;
}

export class UnknownEnvironmentError extends Error {
  constructor(
    readonly environment: string,
    readonly known: string[],
  ) {
    super(`unknown environment "${environment}"`);
  }
}

/** load → schema → rules → target rules, for the base spec and each environment overlay. */
export function validateFile(file: string, options: ValidateOptions = {}): ValidateResult {
  const loaded = readSpec(file);
  if (!loaded.spec) return { diagnostics: loaded.diagnostics, ...(loaded.source !== undefined ? { source: loaded.source } : {}) };
  const spec = loaded.spec;
  const result = validateLoaded(spec, options);
  return { ...result, diagnostics: sortDiagnostics([...loaded.diagnostics, ...result.diagnostics]), source: spec.source, spec };
}

export function validateLoaded(spec: LoadedSpec, options: ValidateOptions = {}): { diagnostics: Diagnostic[]; model?: Model; checked?: CheckTarget } {
  const base = checkVariant(spec, options.target);
  if (hasErrors(base.diagnostics) && base.model === undefined) return { diagnostics: base.diagnostics };

  const known = environmentNames(spec);
  if (options.environment !== undefined && !known.includes(options.environment)) throw new UnknownEnvironmentError(options.environment, known);
  const selected = options.environment !== undefined ? [options.environment] : known;
  const seen = new Set(base.diagnostics.map(key));
  const diagnostics = [...base.diagnostics];
  let model = options.environment === undefined ? base.model : undefined;
  let checked: CheckTarget = spec;
  for (const environment of selected) {
    const variant = applyEnvironment(spec, environment);
    const merged = checkVariant(variant, options.target, environment);
    for (const d of merged.diagnostics) {
      if (seen.has(key(d))) continue;
      seen.add(key(d));
      diagnostics.push({ ...d, message: `environment "${environment}": ${d.message}` });
    }
    if (environment === options.environment) {
      model = merged.model;
      checked = variant;
    }
  }
  return { diagnostics, ...(model && !hasErrors(diagnostics) ? { model, checked } : {}) };
}

const key = (d: Diagnostic) => `${d.code}:${d.line}:${d.column}:${d.message}`;

function checkVariant(checked: CheckTarget, target?: Target, environment?: string): { diagnostics: Diagnostic[]; model?: Model } {
  const schemaErrors = checkSchema(checked);
  if (schemaErrors.length > 0) return { diagnostics: schemaErrors };
  const diagnostics = runRules(SPEC_RULES, checked, target?.name);
  if (hasErrors(diagnostics)) return { diagnostics };
  const model = normalize(checked.data as unknown as AirflowSpec, { file: checked.file, ...(environment ? { environment } : {}) });
  if (target) {
    target.check(model, {
      report(severity, code, path, message, hint) {
        // A value is pointed at where it is written; a mapping or list, at its key.
        const found = locate(checked.document, path);
        const span = spanOf(isScalar(found.value) ? found.value : (found.key ?? found.value), checked.lineCounter);
        diagnostics.push({ code, severity, message, file: checked.file, ...span.start, endColumn: span.endColumn, ...(hint ? { hint } : {}) });
      },
    });
  }
  return { diagnostics, model };
}
