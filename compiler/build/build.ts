import { dirname, join, relative, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { lineOf, locateProblems } from '../diagnostics/locate.ts';
import type { Problem, SpecPath } from '../diagnostics/problem.ts';
import { deepFreeze } from '../normalize/freeze.ts';
import type { Model } from '../normalize/model.ts';
import { collectSecretUses, secretKey } from '../secrets/collect.ts';
import { resolveSecrets, type ResolveOptions, type Resolved } from '../secrets/resolve.ts';
import { connectionEntry, variableEntry } from '../normalize/normalize.ts';
import { settingsKeyOf } from '../targets/manifest.ts';
import type { Target, TargetDocument } from '../targets/target.ts';
import { validateFile } from '../validate/validate-spec.ts';
import { AFC_VERSION } from '../version.ts';
import { withBookkeeping, checkOutputPath, type OutputFile } from '../write/output-file.ts';
import { applyOverrides } from './apply-overrides.ts';
import { emitDocuments } from './emit-documents.ts';
import { scanForLeaks } from './leak-scan.ts';

export interface BuildRequest {
  file: string;
  target: Target;
  environment?: string;
  /** Output folder; default `out/<name>/<target>` beside the spec (`out/<name>-<env>/<target>` with an environment). */
  outDir?: string;
  /** No network call: SSM parameters are neither read nor checked. */
  offline?: boolean;
  /** Folders besides the spec's that `{ file: }` secrets may be read from. */
  secretFilesFrom?: readonly string[];
  /** Tests pass their own SSM session factory. */
  openSsm?: ResolveOptions['open'];
  /** The spec's bytes, instead of reading `file` (afc/testing builds specs held in memory). */
  bytes?: Uint8Array;
}

/** A built output folder (in memory; warnings aside), or the diagnostics that say why there is none. */
export type BuildResult = (
  | {
      ok: true;
      outDir: string;
      /** Every file of the output folder, bookkeeping included. */
      files: OutputFile[];
    }
  | { ok: false }
) & {
  diagnostics: Diagnostic[];
  /** The spec's decoded text, for code frames. */
  source?: string;
  /** What SSM cost, when it was asked. */
  ssm?: Resolved['ssm'];
};

/** validate → resolve secrets → render → patch → emit → leak scan; nothing is written here. */
export async function buildOutput(request: BuildRequest): Promise<BuildResult> {
  const validated = validateFile(request.file, {
    target: request.target,
    ...(request.environment !== undefined ? { environment: request.environment } : {}),
    ...(request.bytes ? { bytes: request.bytes } : {}),
  });
  const source = validated.source !== undefined ? { source: validated.source } : {};
  if (!validated.ok) return { ok: false, diagnostics: validated.diagnostics, ...source };
  const { checked } = validated;
  const problems: Problem[] = [];
  // Every stage's problems here are at paths of the checked document; the validation's are located already.
  const diagnostics = () => sortDiagnostics([...validated.diagnostics, ...locateProblems(problems, checked)]);
  const failed = (extra: Pick<BuildResult, 'ssm'> = {}): BuildResult => ({ ok: false, diagnostics: diagnostics(), ...source, ...extra });

  const targetBlock = (validated.model.targets as Record<string, { region?: string } | undefined>)[settingsKeyOf(request.target)];
  const uses = collectSecretUses(checked.data);
  const { fromSsmPath } = validated.model;
  const resolved = await resolveSecrets(uses, {
    specFile: checked.file,
    ...(request.secretFilesFrom ? { secretFilesFrom: request.secretFilesFrom } : {}),
    mode: typeof request.target.secrets === 'function' ? request.target.secrets(validated.model) : request.target.secrets,
    offline: request.offline ?? false,
    targetName: request.target.name,
    ...(targetBlock?.region ? { region: targetBlock.region } : {}),
    fromSsmPath: {
      ...(fromSsmPath.connections ? { connections: { path: fromSsmPath.connections, at: ['connections', 'fromSsmPath'] } } : {}),
      ...(fromSsmPath.variables ? { variables: { path: fromSsmPath.variables, at: ['variables', 'fromSsmPath'] } } : {}),
    },
    ...(request.openSsm ? { open: request.openSsm } : {}),
    describeUse: (path) => `${path.join('.')} at line ${lineOf(checked, { path, at: 'value' })}`,
  });
  const ssm = resolved.ssm ? { ssm: resolved.ssm } : {};
  problems.push(...resolved.problems);
  const { model, problems: clashes } = withDiscovered(validated.model, resolved.discovered);
  problems.push(...clashes);
  if (hasErrors(problems)) return failed(ssm);
  const secrets = resolved.values;

  const outDir =
    request.outDir ?? join(dirname(request.file), 'out', request.environment ? `${model.name}-${request.environment}` : model.name, request.target.name);
  const specDirFromOutput = toPosix(relative(outDir, dirname(request.file)) || '.');
  const header = headerLines(request, outDir);
  const documents: TargetDocument[] = await request.target.render(model, {
    report(severity, code, path, message, hint) {
      problems.push({ code, severity, path, at: 'value', message, ...(hint ? { hint } : {}) });
    },
    afcVersion: AFC_VERSION,
    header,
    specDirFromOutput,
    secrets: {
      value: (ref) => secrets.value(ref),
      arn: (ref) => secrets.arn(ref),
      usedAt: (ref) => uses.find((u) => secretKey(u) === secretKey(ref))?.path ?? [],
    },
  });
  if (hasErrors(problems)) return failed();

  for (const doc of documents) {
    const problem = checkOutputPath(doc.path);
    if (problem) throw new Error(`target ${request.target.name} produced an invalid path ${doc.path}: ${problem}`);
  }
  const key = settingsKeyOf(request.target);
  problems.push(...applyOverrides(documents, model.overrides[key] ?? [], ['overrides', key]));
  if (hasErrors(problems)) return failed();

  const files = withBookkeeping(emitDocuments(documents, header), header[0]!);
  problems.push(...scanForLeaks(files, secrets.all()));
  if (hasErrors(problems)) return failed();
  return { ok: true, outDir, files, diagnostics: diagnostics(), ...source, ...ssm };
}

/**
 * The model with the connections and variables found under `fromSsmPath`
 * joined as SSM references, in the model's order: a new frozen model, the
 * old one untouched. One defined in the spec too is a problem and stays as
 * the spec has it.
 */
function withDiscovered(model: Model, discovered: Resolved['discovered']): { model: Model; problems: Problem[] } {
  if (discovered.connections.length === 0 && discovered.variables.length === 0) return { model, problems: [] };
  const problems: Problem[] = [];
  const clash = (path: SpecPath, message: string): Problem => ({ code: 'AFC4006', severity: 'error', path, at: 'value', message });
  const taken = new Set(model.connections.map((c) => c.id.toUpperCase()));
  const connections = [...model.connections];
  for (const d of discovered.connections) {
    if (taken.has(d.key.toUpperCase())) problems.push(clash(['connections', d.key], `connection ${d.key} is defined here and by SSM parameter ${d.parameter}`));
    else connections.push(connectionEntry(d.key, { ssm: d.parameter }));
  }
  const names = new Set(model.variables.map((v) => v.name));
  const variables = [...model.variables];
  for (const d of discovered.variables) {
    const entry = variableEntry(d.key, { ssm: d.parameter });
    if (names.has(entry.name)) problems.push(clash(['variables', d.key], `variable ${d.key} is defined here and by SSM parameter ${d.parameter}`));
    else variables.push(entry);
  }
  connections.sort((a, b) => (a.id < b.id ? -1 : 1));
  variables.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { model: deepFreeze({ ...model, connections, variables }), problems };
}

function headerLines(request: BuildRequest, outDir: string): string[] {
  const spec = toPosix(relative(outDir, request.file));
  const env = request.environment ? ` --env ${request.environment}` : '';
  return [`Generated by afc ${AFC_VERSION} from ${spec} (--target ${request.target.name}${env}); do not edit.`];
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
