import type { Code } from '../diagnostics/codes.ts';
import type { DerivedName } from '../names.ts';
import type { Model } from '../normalize/model.ts';

/**
 * What afc knows about a target without loading its render code: enough for
 * `afc validate` without `--target` (which checks every target's name limits
 * and must start fast), `afc targets`, the overrides and the diagnostics.
 * Built-in targets declare theirs in `targets/<name>/manifest.ts`; a plugin's
 * exported target carries the same fields.
 */
export interface TargetManifest {
  /** Lowercase name, used by `--target`. */
  name: string;
  description: string;
  /**
   * The key of the target's block under `targets:` and of its patches under
   * `overrides:`. Built-in targets use their name, which the schema knows; a
   * plugin's is always `x-<name>` (the default), the schema's escape for
   * blocks it does not know.
   */
  settingsKey?: string;
  /** What it can run; the compiler refuses the rest (AFC2022) before `check` runs. */
  supports: TargetSupport;
  /**
   * The codes its `check` and `render` report, with titles. A retired code
   * stays listed with `replacedBy`, so that its number is never reused.
   */
  codes?: Readonly<Record<TargetCode, TargetCodeInfo>>;
  /** Resource names it derives from the spec's `name`, with the platform's limits. */
  derivedNames?: readonly DerivedName[];
  /** Characters its platform refuses in those names. */
  nameRules?: readonly NameRule[];
}

export type Executor = Model['airflow']['executor'];
export type DagSource = Model['dags']['kind'];

export interface TargetSupport {
  executors: readonly Executor[];
  dagSources: readonly DagSource[];
  /** Why an executor or DAG source is not supported, for the refusal's message (a clause, lowercase). */
  why?: Readonly<Partial<Record<Executor | DagSource, string>>>;
}

/** A target's own codes: AFC3xxx. */
export type TargetCode = `AFC3${number}`;

export interface TargetCodeInfo {
  title: string;
  /** Set when afc no longer reports the code: the code that replaced it. */
  replacedBy?: Code;
}

/** A sequence of characters some of a target's resource names may not hold. */
export interface NameRule {
  /** The forbidden text, such as `--`. */
  holds: string;
  /** Which names refuse it, as a plural noun phrase ("RDS identifiers"). */
  refusedBy: string;
  /** The name without it, suggested in the hint. */
  fix(name: string): string;
}

/** The key of the target's block under `targets:` and `overrides:`. */
export function settingsKeyOf(manifest: Pick<TargetManifest, 'name' | 'settingsKey'>): string {
  return manifest.settingsKey ?? `x-${manifest.name}`;
}
