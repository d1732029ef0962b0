import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SecretRef } from '../../schema/generated/types.ts';
import { describeRef, type SecretUse } from './collect.ts';

export interface SecretProblem {
  use: SecretUse;
  code: 'AFC4001' | 'AFC4002' | 'AFC4003';
  message: string;
  hint?: string;
}

/** Resolved values by reference; a value lives only here, in memory, for the build. */
export class SecretValues {
  private readonly values = new Map<string, string>();

  set(ref: SecretRef, value: string): void {
    this.values.set(refId(ref), value);
  }

  /** The value of a reference the build resolved; asking for another is a bug in the target. */
  value(ref: SecretRef): string {
    const value = this.values.get(refId(ref));
    if (value === undefined) throw new Error(`secret ${describeRef(ref)} was not resolved for this build`);
    return value;
  }

  /** Every distinct value, for the leak scan. */
  all(): string[] {
    return [...new Set(this.values.values())];
  }
}

function refId(ref: SecretRef): string {
  return ref.value !== undefined ? `value:${ref.value}` : JSON.stringify(ref);
}

/**
 * Resolves the references of a build with the `value`, `env` and `file`
 * providers. `ssm` references are reported (issue 4 brings that provider).
 */
export function resolveSecrets(uses: readonly SecretUse[], specFile: string, env: NodeJS.ProcessEnv = process.env): { values: SecretValues; problems: SecretProblem[] } {
  const values = new SecretValues();
  const problems: SecretProblem[] = [];
  for (const use of uses) {
    const ref = use.ref;
    if (ref.value !== undefined) {
      values.set(ref, ref.value);
    } else if (ref.env !== undefined) {
      const value = env[ref.env];
      if (value === undefined || value === '') problems.push({ use, code: 'AFC4001', message: `environment variable ${ref.env} is not set`, hint: `export ${ref.env}=… before building` });
      else values.set(ref, value);
    } else if (ref.file !== undefined) {
      const path = resolve(dirname(specFile), ref.file);
      try {
        values.set(ref, readFileSync(path, 'utf8').replace(/\r?\n$/, ''));
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (error as Error).message;
        problems.push({ use, code: 'AFC4002', message: `cannot read secret file ${ref.file}: ${reason}`, hint: 'paths are relative to the spec' });
      }
    } else if (ref.ssm !== undefined) {
      problems.push({ use, code: 'AFC4003', message: `SSM parameter ${ref.ssm} cannot be resolved: the ssm provider is not available in this afc yet`, hint: 'for now use { env: NAME } or { file: ./path } for a target that needs the value' });
    }
  }
  return { values, problems };
}
