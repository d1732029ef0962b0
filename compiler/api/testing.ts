/**
 * `afc/testing`: builds a spec with a target in memory, the way `afc build`
 * does (validate, the target's check, secrets, render, overrides, emit, leak
 * scan), and returns the files it would write and the problems it found.
 * Nothing is written; the disk is read only where the spec says so (`{ file: }`
 * references, `dags.path`), and the network only with `ssm: 'aws'`.
 */
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { buildOutput } from '../build/build.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { SsmParameter, SsmSession } from '../secrets/ssm.ts';
import { TargetError, TargetRegistry } from '../targets/registry.ts';
import type { Target } from '../targets/target.ts';
import type { OutputFile } from '../write/output-file.ts';

export type { Diagnostic } from '../diagnostics/diagnostic.ts';
export type { OutputFile } from '../write/output-file.ts';

export interface SynthOptions {
  /** Merge this environment's overlay first, as `--env` does. */
  environment?: string;
  /**
   * Where `{ ssm: }` references and `fromSsmPath` are read: parameters by
   * name, or `aws` for SSM as the AWS SDK finds it (AWS_ENDPOINT_URL_SSM
   * pointing at moto or LocalStack, say). Without it the build is offline,
   * as `--offline`: a target whose secrets are `values` then cannot resolve
   * an SSM reference (AFC4007).
   */
  ssm?: Readonly<Record<string, string>> | 'aws';
  /**
   * Where the spec notionally is: diagnostics name it, and `{ file: }`
   * references and `dags.path` resolve beside it. Default `airflow.yaml`
   * in the current folder.
   */
  file?: string;
}

/** What a build would write (`ok`), or why it would not; `problems` holds warnings either way. */
export type Synthesized =
  | {
      ok: true;
      /** Every file of the output folder, afc's bookkeeping (`.afc-manifest`, `.gitignore`) included, secret files with their values. */
      files: OutputFile[];
      problems: Diagnostic[];
    }
  | { ok: false; problems: Diagnostic[] };

/** An SSM region and account that say they are made up. */
const FAKE_ARN_PREFIX = 'arn:aws:ssm:us-east-1:000000000000:parameter';

/**
 * Builds `spec` (YAML text, or an object serialized to YAML) with `target`.
 * Throws only for what is a bug in the target: one `--plugin` would refuse
 * (TargetError: malformed, or a name or code another target has), or an
 * output path outside its folder. Every problem with the spec is in
 * `problems`, located at `file:line:col` as the CLI prints it.
 */
export async function synth(target: Target, spec: string | object, options: SynthOptions = {}): Promise<Synthesized> {
  const problem = await new TargetRegistry().pluginProblem(target);
  if (problem) throw new TargetError(`afc --plugin would refuse this target: ${problem}`);
  const text = typeof spec === 'string' ? spec : stringify(spec);
  const result = await buildOutput({
    file: options.file ?? resolve('airflow.yaml'),
    bytes: new TextEncoder().encode(text),
    target,
    ...(options.environment !== undefined ? { environment: options.environment } : {}),
    offline: options.ssm === undefined,
    ...(typeof options.ssm === 'object' ? { openSsm: async () => fakeSsm(options.ssm as Record<string, string>) } : {}),
  });
  return result.ok ? { ok: true, files: result.files, problems: result.diagnostics } : { ok: false, problems: result.diagnostics };
}

/** An SSM session answering from a map, as SSM would: SecureStrings decrypted, paths recursive. */
function fakeSsm(parameters: Readonly<Record<string, string>>): SsmSession {
  const parameter = (name: string): SsmParameter => ({ name, value: parameters[name]!, arn: `${FAKE_ARN_PREFIX}${name.startsWith('/') ? '' : '/'}${name}` });
  const calls = { GetParameters: 0, GetParametersByPath: 0 };
  return {
    region: 'us-east-1',
    endpoint: 'afc/testing',
    calls,
    async getParameters(names) {
      calls.GetParameters += 1;
      return { found: names.filter((n) => n in parameters).map(parameter), missing: names.filter((n) => !(n in parameters)) };
    },
    async getParametersByPath(path) {
      calls.GetParametersByPath += 1;
      const prefix = path.endsWith('/') ? path : `${path}/`;
      return Object.keys(parameters)
        .filter((n) => n.startsWith(prefix))
        .sort()
        .map(parameter);
    },
    destroy() {},
  };
}
