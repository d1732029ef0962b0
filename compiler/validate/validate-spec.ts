import type { AirflowSpec } from '../../schema/generated/types.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { locateProblems } from '../diagnostics/locate.ts';
import type { Problem } from '../diagnostics/problem.ts';
import { applyEnvironment, environmentNames } from '../load/apply-environment.ts';
import { loadSpec, readSpec, type LoadedSpec } from '../load/load-spec.ts';
import { normalize } from '../normalize/normalize.ts';
import type { Model } from '../normalize/model.ts';
import { BUILT_IN_TARGETS } from '../../targets/built-in.ts';
import type { TargetManifest } from '../targets/manifest.ts';
import { unsupported } from '../targets/supports.ts';
import type { Target } from '../targets/target.ts';
import { runRules } from './rule-context.ts';
import { SPEC_RULES } from './rules/index.ts';
import { checkSchema, type CheckTarget } from './schema-check.ts';
import { redactSecretValues, redactValueKeys } from '../secrets/redact-source.ts';

export interface ValidateOptions {
  target?: Target;
  /** Without `target`, the targets whose name limits are checked (as warnings); by default the built-in ones. */
  manifests?: readonly TargetManifest[];
  /** Check only this environment (merged over the base); by default the base and every environment are checked. */
  environment?: string;
  /** The spec's bytes, instead of reading `file` (which still names it and anchors its relative paths). */
  bytes?: Uint8Array;
}

/** A valid spec's model (warnings aside), or the diagnostics that say why there is none. */
export type Validated =
  | {
      ok: true;
      /** The model of the checked spec (of `environment` when one was given). */
      model: Model;
      /** The document the model came from (the environment's merged one, with --env). */
      checked: CheckTarget;
      /** Warnings only. */
      diagnostics: Diagnostic[];
    }
  | { ok: false; diagnostics: Diagnostic[] };

/** `Validated`, with the file's decoded text for code frames (when it was text). */
export type ValidateResult = (Validated & { ok: true; spec: LoadedSpec; source: string }) | { ok: false; diagnostics: Diagnostic[]; source?: string };

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
  const loaded = options.bytes ? loadSpec(file, options.bytes) : readSpec(file);
  if (!loaded.ok) {
    const { source } = loaded.text;
    // A spec that does not parse still shows its lines: never a { value: } secret on them.
    return { ok: false, diagnostics: locateProblems(loaded.problems, loaded.text), ...(source !== undefined ? { source: redactValueKeys(source) } : {}) };
  }
  const spec = loaded.spec;
  const result = validateLoaded(spec, options);
  const diagnostics = sortDiagnostics([...locateProblems(loaded.problems, spec), ...result.diagnostics]);
  // Code frames show the spec's lines: never a plain-text secret on them.
  const source = redactSecretValues(spec);
  return result.ok ? { ...result, diagnostics, source, spec } : { ok: false, diagnostics, source };
}

/** schema → rules → target rules of a loaded spec, for the base spec and each environment overlay (or the one asked for). */
export function validateLoaded(spec: LoadedSpec, options: ValidateOptions = {}): Validated {
  const base = checkVariant(spec, options);
  if (hasErrors(base.diagnostics) && base.model === undefined) return { ok: false, diagnostics: base.diagnostics };

  const known = environmentNames(spec);
  if (options.environment !== undefined && !known.includes(options.environment)) throw new UnknownEnvironmentError(options.environment, known);
  const selected = options.environment !== undefined ? [options.environment] : known;
  const seen = new Set(base.diagnostics.map(key));
  const diagnostics = [...base.diagnostics];
  let model = options.environment === undefined ? base.model : undefined;
  let checked: CheckTarget = spec;
  for (const environment of selected) {
    const variant = applyEnvironment(spec, environment);
    const merged = checkVariant(variant, options, environment);
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
  return model && !hasErrors(diagnostics) ? { ok: true, model, checked, diagnostics } : { ok: false, diagnostics };
}

const key = (d: Diagnostic) => `${d.code}:${d.line}:${d.column}:${d.message}`;

/** One document's problems, located in it: a merged environment's nodes keep the positions they have in the file. */
function checkVariant(checked: CheckTarget, options: ValidateOptions, environment?: string): { diagnostics: Diagnostic[]; model?: Model } {
  const schemaErrors = checkSchema(checked);
  if (schemaErrors.length > 0) return { diagnostics: locateProblems(schemaErrors, checked) };
  const { target } = options;
  const targets = target ? { named: true, manifests: [target] } : { named: false, manifests: options.manifests ?? BUILT_IN_TARGETS.map((t) => t.manifest) };
  const problems: Problem[] = runRules(SPEC_RULES, checked, targets);
  if (hasErrors(problems)) return { diagnostics: locateProblems(problems, checked) };
  const model = normalize(checked.data as unknown as AirflowSpec, { file: checked.file, ...(environment ? { environment } : {}) });
  if (target) {
    problems.push(...unsupported(model, target));
    target.check(model, {
      report(severity, code, path, message, hint) {
        // A value is pointed at where it is written; a mapping or list, at its key.
        problems.push({ code, severity, path, message, at: 'scalar', ...(hint ? { hint } : {}) });
      },
    });
  }
  return { diagnostics: locateProblems(problems, checked), model };
}
