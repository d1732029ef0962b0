import type { SecretRef } from '../../schema/generated/types.ts';
import type { Problem, SpecPath } from '../diagnostics/problem.ts';
import { describeRef, type SecretUse } from './collect.ts';
import { readSecretFile } from './secret-file.ts';
import { openSsm, shortList, SsmError, type SsmSession } from './ssm.ts';

/** An error at a reference (its value, where it is written): the first use when a problem concerns several. */
export interface SecretProblem extends Problem {
  code: 'AFC4001' | 'AFC4002' | 'AFC4003' | 'AFC4004' | 'AFC4005' | 'AFC4006' | 'AFC4007';
  severity: 'error';
  at: 'value';
}

/** Resolved values by reference; a value lives only here, in memory, for the build. */
export class SecretValues {
  private readonly values = new Map<string, string>();
  private readonly arns = new Map<string, string>();

  set(ref: SecretRef, value: string, arn?: string): void {
    this.values.set(refId(ref), value);
    if (arn && ref.ssm) this.arns.set(ref.ssm, arn);
  }

  /** The value of a reference the build resolved; asking for another is a bug in the target. */
  value(ref: SecretRef): string {
    const value = this.values.get(refId(ref));
    if (value === undefined) throw new Error(`secret ${describeRef(ref)} was not resolved for this build`);
    return value;
  }

  /** The parameter's ARN as SSM reported it, when the build asked SSM. */
  arn(ref: SecretRef): string | undefined {
    return ref.ssm ? this.arns.get(ref.ssm) : undefined;
  }

  /** Every distinct value, for the leak scan. */
  all(): string[] {
    return [...new Set(this.values.values())];
  }
}

function refId(ref: SecretRef): string {
  return ref.value !== undefined ? `value:${ref.value}` : JSON.stringify(ref);
}

/** A connection or variable found under a `fromSsmPath`. */
export interface Discovered {
  key: string;
  parameter: string;
}

export interface ResolveOptions {
  specFile: string;
  /** Folders besides the spec's whose files `{ file: }` secrets may name (`--secret-files-from`). */
  secretFilesFrom?: readonly string[];
  /** `values`: every secret's value is needed. `references`: SSM parameters are only checked to exist. */
  mode: 'values' | 'references';
  /** No SSM call at all. */
  offline: boolean;
  targetName: string;
  region?: string;
  fromSsmPath: { connections?: { path: string; at: SpecPath }; variables?: { path: string; at: SpecPath } };
  env?: NodeJS.ProcessEnv;
  /** Tests pass their own session factory. */
  open?: (options: { region?: string }) => Promise<SsmSession>;
  /** Where a use is, for people (`secrets.fernetKey at line 12`); the path alone by default. */
  describeUse?: (path: SpecPath) => string;
}

export interface Resolved {
  values: SecretValues;
  problems: SecretProblem[];
  discovered: { connections: Discovered[]; variables: Discovered[] };
  /** What SSM cost, when it was asked. */
  ssm?: { calls: SsmSession['calls']; region: string; endpoint: string };
}

const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Resolves every secret reference of a build in one pass: local providers
 * directly; all `ssm` names (each once) in batched GetParameters calls and
 * the `fromSsmPath` listings, through one SSM client.
 */
export async function resolveSecrets(uses: readonly SecretUse[], options: ResolveOptions): Promise<Resolved> {
  const values = new SecretValues();
  const problems: SecretProblem[] = [];
  const describe = options.describeUse ?? ((path: SpecPath) => path.join('.'));
  const discovered: Resolved['discovered'] = { connections: [], variables: [] };
  const env = options.env ?? process.env;
  const ssmUses: SecretUse[] = [];
  for (const use of uses) {
    const ref = use.ref;
    if (ref.value !== undefined) values.set(ref, ref.value);
    else if (ref.env !== undefined) {
      const value = env[ref.env];
      if (value === undefined || value === '')
        problems.push({
          severity: 'error',
          at: 'value',
          path: use.path,
          code: 'AFC4001',
          message: `environment variable ${ref.env} is not set`,
          hint: `export ${ref.env}=… before building`,
        });
      else values.set(ref, value);
    } else if (ref.file !== undefined) {
      const read = readSecretFile(ref.file, { specFile: options.specFile, allowedFolders: options.secretFilesFrom ?? [] });
      if ('value' in read) values.set(ref, read.value);
      else
        problems.push({
          severity: 'error',
          at: 'value',
          path: use.path,
          code: read.code,
          message: `cannot read secret file ${ref.file}: ${read.reason}`,
          hint: read.hint,
        });
    } else if (ref.ssm !== undefined) ssmUses.push(use);
  }

  const paths = (['connections', 'variables'] as const).flatMap((kind) => (options.fromSsmPath[kind] ? [{ kind, ...options.fromSsmPath[kind]! }] : []));
  if (ssmUses.length === 0 && paths.length === 0) return { values, problems, discovered };

  if (options.offline) {
    if (options.mode === 'values' && ssmUses.length > 0) {
      const names = [...new Set(ssmUses.map((u) => u.ref.ssm!))].sort();
      problems.push({
        severity: 'error',
        at: 'value',
        path: ssmUses[0]!.path,
        code: 'AFC4007',
        message: `--offline: the ${options.targetName} target writes secret values, so it needs SSM parameters ${names.join(', ')}`,
        hint: 'build without --offline, with AWS credentials',
      });
    }
    for (const p of paths)
      problems.push({
        severity: 'error',
        at: 'value',
        path: p.at,
        code: 'AFC4007',
        message: `--offline: the parameters under ${p.path} cannot be listed without asking SSM`,
        hint: 'build without --offline, or list them one by one',
      });
    return { values, problems, discovered };
  }

  let session: SsmSession | undefined;
  try {
    session = await (options.open ?? openSsm)({ ...(options.region ? { region: options.region } : {}) });
    const s = session;
    const [byName, listings] = await Promise.all([
      s.getParameters(
        ssmUses.map((u) => u.ref.ssm!),
        options.mode === 'values',
      ),
      Promise.all(paths.map(async (p) => ({ ...p, found: await s.getParametersByPath(p.path) }))),
    ]);
    for (const p of byName.found) values.set({ ssm: p.name }, p.value, p.arn);
    if (byName.missing.length > 0) {
      const missing = new Set(byName.missing);
      const lines = ssmUses.filter((u) => missing.has(u.ref.ssm!));
      problems.push({
        severity: 'error',
        at: 'value',
        path: lines[0]!.path,
        code: 'AFC4005',
        message: `SSM parameters not found in region ${s.region}: ${byName.missing
          .map(
            (name) =>
              `${name} (${lines
                .filter((u) => u.ref.ssm === name)
                .map((u) => describe(u.path))
                .join(', ')})`,
          )
          .join('; ')}`,
        hint: 'create them (aws ssm put-parameter --type SecureString …), or fix the names',
      });
    }
    for (const listing of listings) {
      for (const p of listing.found) {
        const key = p.name.slice(p.name.lastIndexOf('/') + 1);
        if (!KEY.test(key)) {
          problems.push({
            severity: 'error',
            at: 'value',
            path: listing.at,
            code: 'AFC4006',
            message: `SSM parameter ${p.name} under ${listing.path} does not end in a valid ${listing.kind === 'connections' ? 'connection id' : 'variable key'}`,
            hint: 'rename it: letters, digits and _, starting with a letter',
          });
          continue;
        }
        values.set({ ssm: p.name }, p.value, p.arn);
        discovered[listing.kind].push({ key, parameter: p.name });
      }
    }
    return { values, problems, discovered, ssm: { calls: s.calls, region: s.region, endpoint: s.endpoint } };
  } catch (error) {
    if (!(error instanceof SsmError)) throw error;
    // A failure before any call (no region) names what the build needed; a failed call names its own batch.
    const wanted = [...new Set(ssmUses.map((u) => u.ref.ssm!)), ...paths.map((p) => `${p.path}*`)];
    problems.push({
      severity: 'error',
      at: 'value',
      path: ssmUses[0]?.path ?? paths[0]!.at,
      code: 'AFC4004',
      message: error.message.includes('(parameters: ') ? error.message : `${error.message} (parameters: ${shortList(wanted)})`,
    });
    return { values, problems, discovered };
  } finally {
    session?.destroy();
  }
}
