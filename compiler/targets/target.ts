import type { Severity } from '../diagnostics/diagnostic.ts';
import type { Code } from '../diagnostics/codes.ts';
import type { SpecPath } from '../load/locate.ts';
import type { Model } from '../normalize/model.ts';

/**
 * A backend: turns the model into documents for one platform. Built-in
 * targets live in targets/<name>/; plugins implement the same interface and
 * load with `--plugin`.
 */
export interface Target {
  /** Lowercase name, used by `--target`. Plugins read their settings from `targets.x-<name>`. */
  name: string;
  description: string;
  supports: TargetSupport;
  /** Target-specific rules, run by `validate --target` and before every build. */
  check(model: Model, ctx: CheckContext): void;
  /** The documents to write, as objects; the build serializes them. */
  render(model: Model, ctx: RenderContext): Promise<TargetDocument[]> | TargetDocument[];
}

export interface TargetSupport {
  executors: readonly Model['airflow']['executor'][];
  dagSources: readonly Model['dags']['kind'][];
}

export interface CheckContext {
  /** Reports a problem at a path of the spec (its position is looked up for you). */
  report(severity: Severity, code: Code | `AFC3${number}`, path: SpecPath, message: string, hint?: string): void;
}

export interface RenderContext {
  /** afc's version, for file headers. */
  afcVersion: string;
  /** The spec's path relative to the output folder, for file headers. */
  specPathFromOutput: string;
}

export type TargetDocument =
  | { path: string; format: 'yaml' | 'json'; content: unknown; secret?: boolean }
  | { path: string; format: 'hcl'; content: unknown; secret?: boolean }
  | { path: string; format: 'text'; content: string; secret?: boolean; mode?: number };
