import { dirname, join, relative, sep } from 'node:path';
import type { Code } from '../diagnostics/codes.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { locate, spanOf, type SpecPath } from '../load/locate.ts';
import type { Model } from '../normalize/model.ts';
import { collectSecretUses, secretKey } from '../secrets/collect.ts';
import { resolveSecrets, type ResolveOptions, type Resolved } from '../secrets/resolve.ts';
import { connectionEntry, variableEntry } from '../normalize/normalize.ts';
import { RenderProblem, type Target, type TargetDocument } from '../targets/target.ts';
import { validateFile } from '../validate/validate-spec.ts';
import type { CheckTarget } from '../validate/schema-check.ts';
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
  /** Tests pass their own SSM session factory. */
  openSsm?: ResolveOptions['open'];
}

export interface BuildResult {
  diagnostics: Diagnostic[];
  source?: string;
  outDir?: string;
  /** Every file of the output folder, bookkeeping included, when the build succeeded. */
  files?: OutputFile[];
  /** What SSM cost, when it was asked. */
  ssm?: Resolved['ssm'];
}

/** validate → resolve secrets → render → patch → emit → leak scan; nothing is written here. */
export async function buildOutput(request: BuildRequest): Promise<BuildResult> {
  const validated = validateFile(request.file, { target: request.target, ...(request.environment !== undefined ? { environment: request.environment } : {}) });
  const done = (diagnostics: Diagnostic[], extra: Partial<BuildResult> = {}): BuildResult => ({
    diagnostics: sortDiagnostics(diagnostics),
    ...(validated.source !== undefined ? { source: validated.source } : {}),
    ...extra,
  });
  if (hasErrors(validated.diagnostics) || !validated.model || !validated.checked) return done(validated.diagnostics);
  const { model, checked } = validated;
  const diagnostics = [...validated.diagnostics];
  const report = (code: Code, path: SpecPath, message: string, hint?: string) => diagnostics.push(at(checked, code, path, message, hint));

  const targetBlock = (model.targets as Record<string, { region?: string } | undefined>)[request.target.name];
  const uses = collectSecretUses(checked.data);
  const resolved = await resolveSecrets(uses, {
    specFile: checked.file,
    mode: typeof request.target.secrets === 'function' ? request.target.secrets(model) : request.target.secrets,
    offline: request.offline ?? false,
    targetName: request.target.name,
    ...(targetBlock?.region ? { region: targetBlock.region } : {}),
    fromSsmPath: {
      ...(model.fromSsmPath.connections ? { connections: { path: model.fromSsmPath.connections, at: ['connections', 'fromSsmPath'] } } : {}),
      ...(model.fromSsmPath.variables ? { variables: { path: model.fromSsmPath.variables, at: ['variables', 'fromSsmPath'] } } : {}),
    },
    ...(request.openSsm ? { open: request.openSsm } : {}),
    describeUse: (path) => `${path.join('.')} at line ${at(checked, 'AFC4005', path, '').line}`,
  });
  for (const problem of resolved.problems) report(problem.code, problem.path, problem.message, problem.hint);
  for (const problem of addDiscovered(model, resolved.discovered)) report('AFC4006', problem.at, problem.message);
  if (hasErrors(diagnostics)) return done(diagnostics, resolved.ssm ? { ssm: resolved.ssm } : {});
  const secrets = resolved.values;

  const outDir =
    request.outDir ?? join(dirname(request.file), 'out', request.environment ? `${model.name}-${request.environment}` : model.name, request.target.name);
  const specDirFromOutput = toPosix(relative(outDir, dirname(request.file)) || '.');
  const header = headerLines(model, request, outDir);
  let documents: TargetDocument[];
  try {
    documents = await request.target.render(model, { afcVersion: AFC_VERSION, header, specDirFromOutput, secrets });
  } catch (error) {
    if (!(error instanceof RenderProblem)) throw error;
    const at = error.at;
    const path = 'path' in at ? at.path : (uses.find((u) => secretKey(u) === secretKey(at.ref))?.path ?? []);
    report(error.code, path, error.message, error.hint);
    return done(diagnostics);
  }

  for (const doc of documents) {
    const problem = checkOutputPath(doc.path);
    if (problem) throw new Error(`target ${request.target.name} produced an invalid path ${doc.path}: ${problem}`);
  }
  const patches = overridesFor(model, request.target.name);
  for (const problem of applyOverrides(documents, patches)) {
    const base: SpecPath = ['overrides', overridesKey(request.target.name), problem.index];
    report('AFC5001', problem.operation === undefined ? [...base, 'file'] : [...base, 'patch', problem.operation], problem.message);
  }
  if (hasErrors(diagnostics)) return done(diagnostics);

  const files = withBookkeeping(emitDocuments(documents, header), header[0]!);
  for (const leak of scanForLeaks(files, secrets.all())) {
    report(
      'AFC4010',
      [],
      `a secret value appears in ${leak}, which is not a secret file`,
      'a secret must reach only 0600 secret files; check where the target or an override writes it',
    );
  }
  if (hasErrors(diagnostics)) return done(diagnostics);
  return done(diagnostics, { outDir, files, ...(resolved.ssm ? { ssm: resolved.ssm } : {}) });
}

/** Connections and variables found under `fromSsmPath` join the model as SSM references. */
function addDiscovered(model: Model, discovered: Resolved['discovered']): { at: SpecPath; message: string }[] {
  const problems: { at: SpecPath; message: string }[] = [];
  const taken = new Set(model.connections.map((c) => c.id.toUpperCase()));
  for (const d of discovered.connections) {
    if (taken.has(d.key.toUpperCase()))
      problems.push({ at: ['connections', d.key], message: `connection ${d.key} is defined here and by SSM parameter ${d.parameter}` });
    else model.connections.push(connectionEntry(d.key, { ssm: d.parameter }));
  }
  const names = new Set(model.variables.map((v) => v.name));
  for (const d of discovered.variables) {
    const entry = variableEntry(d.key, { ssm: d.parameter });
    if (names.has(entry.name)) problems.push({ at: ['variables', d.key], message: `variable ${d.key} is defined here and by SSM parameter ${d.parameter}` });
    else model.variables.push(entry);
  }
  model.connections.sort((a, b) => (a.id < b.id ? -1 : 1));
  model.variables.sort((a, b) => (a.name < b.name ? -1 : 1));
  return problems;
}

function headerLines(_model: Model, request: BuildRequest, outDir: string): string[] {
  const spec = toPosix(relative(outDir, request.file));
  const env = request.environment ? ` --env ${request.environment}` : '';
  return [`Generated by afc ${AFC_VERSION} from ${spec} (--target ${request.target.name}${env}); do not edit.`];
}

function overridesKey(target: string): string {
  return ['compose', 'ec2', 'ecs', 'eks', 'kubernetes'].includes(target) ? target : `x-${target}`;
}

function overridesFor(model: Model, target: string) {
  return (model.overrides as Record<string, NonNullable<Model['overrides']['ecs']>>)[overridesKey(target)] ?? [];
}

function at(checked: CheckTarget, code: Code, path: SpecPath, message: string, hint?: string): Diagnostic {
  const found = locate(checked.document, path);
  const span = spanOf(found.value ?? found.key, checked.lineCounter);
  return { code, severity: 'error', message, file: checked.file, ...span.start, endColumn: span.endColumn, ...(hint ? { hint } : {}) };
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
