import type { Severity } from '../diagnostics/diagnostic.ts';
import type { HclBlock } from '../emit/hcl.ts';
import type { KeyOrder } from '../emit/key-order.ts';
import type { Code } from '../diagnostics/codes.ts';
import type { SpecPath } from '../diagnostics/problem.ts';
import type { TargetManifest } from './manifest.ts';
import type { Model } from '../normalize/model.ts';
import type { SecretRef } from '../../schema/generated/types.ts';

/**
 * A backend: its manifest, and what turns the model into documents for one
 * platform. Built-in targets live in targets/<name>/; plugins implement the
 * same interface and load with `--plugin`.
 */
export interface Target extends TargetManifest {
  /**
   * `values`: the target writes secret values into (0600, git-ignored) files,
   * so the build resolves every reference first. `references`: the platform
   * fetches them itself, and the target only emits references. A function
   * when the spec decides (External Secrets on or off).
   */
  secrets: SecretMode | ((model: Model) => SecretMode);
  /** Target-specific rules, run by `validate --target` and before every build. */
  check(model: Model, ctx: CheckContext): void;
  /** The documents to write, as objects; the build serializes them. */
  render(model: Model, ctx: RenderContext): Promise<TargetDocument[]> | TargetDocument[];
}

export type SecretMode = 'values' | 'references';

export interface CheckContext {
  /** Reports a problem at a path of the spec (its position is looked up for you). */
  report(severity: Severity, code: Code | `AFC3${number}`, path: SpecPath, message: string, hint?: string): void;
}

export interface RenderContext {
  /**
   * Reports a problem with the spec's data that a target can only see while
   * rendering (a secret value it cannot carry where it must put it), at a path
   * of the spec (`secrets.usedAt(ref)` for a reference's). Rendering goes on;
   * the build stops after it when an error was reported.
   */
  report: CheckContext['report'];
  /** afc's version. */
  afcVersion: string;
  /** The header lines afc puts atop every generated file, for files a target embeds in another. */
  header: readonly string[];
  /** The spec's folder relative to the output folder (forward slashes), for paths the output refers to. */
  specDirFromOutput: string;
  /**
   * The build's secrets: `value` for targets whose `secrets` is `values`;
   * `arn` for an SSM parameter the build asked SSM about (undefined --offline,
   * where a target builds the ARN itself, e.g. with !Sub); `usedAt` for
   * where the spec first uses a reference, to report a problem with its value.
   */
  secrets: { value(ref: SecretRef): string; arn(ref: SecretRef): string | undefined; usedAt(ref: SecretRef): SpecPath };
}

/**
 * A file to write. Structured formats are objects, serialized canonically by
 * the build (`keyOrder` puts conventional keys first); text is text. A YAML
 * `preamble` is a line its reader wants before afc's header (`#cloud-config`).
 * `secret` files hold secret values: 0600, git-ignored, redacted in diffs.
 */
export type TargetDocument =
  | {
      path: string;
      format: 'yaml';
      content: unknown;
      keyOrder?: KeyOrder;
      secret?: boolean;
      intrinsics?: boolean;
      flowItems?: (path: readonly string[]) => boolean;
      preamble?: string;
    }
  | { path: string; format: 'yaml-stream'; content: unknown[]; keyOrder?: KeyOrder; secret?: boolean }
  | { path: string; format: 'json'; content: unknown; keyOrder?: KeyOrder; secret?: boolean }
  | { path: string; format: 'hcl'; content: HclFile; secret?: boolean }
  | { path: string; format: 'text'; content: string; secret?: boolean; commentPrefix?: string; commentSuffix?: string };

/**
 * A Terraform file: its blocks keyed by address (`resource.aws_instance.host`),
 * in the order written, so that an override patches `/resource.aws_instance.host/attributes/…`.
 */
export type HclFile = Record<string, HclBlock>;
