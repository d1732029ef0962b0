import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { importModule } from '../import-module.ts';
import { BUILT_IN_TARGETS, type BuiltInTarget } from '../../targets/built-in.ts';
import { CODES } from '../diagnostics/codes.ts';
import { settingsKeyOf, type TargetCodeInfo, type TargetManifest } from './manifest.ts';
import type { Target } from './target.ts';

const BUILT_IN = new Map<string, BuiltInTarget>(BUILT_IN_TARGETS.map((t) => [t.manifest.name, t]));

export class TargetError extends Error {}

export class TargetRegistry {
  private readonly plugins = new Map<string, Target>();

  /** Loads a plugin from a file path (relative to `cwd`) or a package name. */
  async addPlugin(specifier: string, cwd: string): Promise<Target> {
    const url = specifier.startsWith('.') || isAbsolute(specifier) ? pathToFileURL(resolve(cwd, specifier)).href : resolvePackage(specifier, cwd);
    let module: Record<string, unknown>;
    try {
      module = (await importModule(url)) as Record<string, unknown>;
    } catch (error) {
      throw new TargetError(`cannot load plugin ${specifier}: ${(error as Error).message.split('\n')[0]}`);
    }
    const target = (module.default ?? module.target) as Partial<Target> | undefined;
    const problem = targetProblem(target);
    if (problem) throw new TargetError(`plugin ${specifier} does not export a target: ${problem}`);
    const clash = this.clash(target as Target);
    if (clash) throw new TargetError(`plugin ${specifier}: ${clash}`);
    this.plugins.set((target as Target).name, target as Target);
    return target as Target;
  }

  /**
   * Why `--plugin` would refuse `target` (a malformed target, a name or code
   * another target has), or undefined; a built-in target passes as itself.
   * afc/testing asks this, so a plugin's tests fail where loading it would.
   */
  async pluginProblem(target: Partial<Target> | undefined): Promise<string | undefined> {
    if (target && (await this.get(target.name ?? '')) === target) return undefined;
    return targetProblem(target) ?? this.clash(target as Target);
  }

  private clash(target: Target): string | undefined {
    if (BUILT_IN.has(target.name) || this.plugins.has(target.name)) return `a target named "${target.name}" is already registered`;
    const taken = Object.keys(target.codes ?? {}).filter((code) => this.codes().has(code));
    return taken.length > 0 ? `code ${taken.join(', ')} is already taken` : undefined;
  }

  names(): string[] {
    return this.manifests().map((m) => m.name);
  }

  /** Every target's manifest, built in or plugin, by name; no target's render code is loaded. */
  manifests(): TargetManifest[] {
    return [...[...BUILT_IN.values()].map((t) => t.manifest), ...this.plugins.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async list(): Promise<{ name: string; description: string; plugin: boolean }[]> {
    return this.manifests().map((m) => ({ name: m.name, description: m.description, plugin: this.plugins.has(m.name) }));
  }

  /**
   * Every diagnostic code afc can report with these targets, with its title:
   * the compiler's, then each target's (retired ones included, with what
   * replaced them).
   */
  codes(): Map<string, { title: string; exit: 1 | 2; replacedBy?: string }> {
    const all = new Map<string, { title: string; exit: 1 | 2; replacedBy?: string }>(Object.entries(CODES));
    for (const manifest of this.manifests())
      for (const [code, info] of Object.entries(manifest.codes ?? {}) as [string, TargetCodeInfo][]) all.set(code, { exit: 1, ...info });
    return all;
  }

  /** The target, or undefined when no target has that name. */
  async get(name: string): Promise<Target | undefined> {
    return this.plugins.get(name) ?? (await BUILT_IN.get(name)?.load());
  }
}

function resolvePackage(name: string, cwd: string): string {
  try {
    return pathToFileURL(createRequire(resolve(cwd, 'package.json')).resolve(name)).href;
  } catch {
    throw new TargetError(`cannot find plugin package "${name}" from ${cwd}; install it, or pass a path such as ./${name}.js`);
  }
}

function targetProblem(target: Partial<Target> | undefined): string | undefined {
  if (!target || typeof target !== 'object') return 'export a Target object as default or as `target`';
  if (typeof target.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(target.name)) return 'name must be a lowercase word';
  if (typeof target.check !== 'function') return 'check(model, ctx) is missing';
  if (typeof target.render !== 'function') return 'render(model, ctx) is missing';
  if (typeof target.description !== 'string') return 'description is missing';
  if (!Array.isArray(target.supports?.executors) || !Array.isArray(target.supports?.dagSources)) return 'supports { executors, dagSources } is missing';
  if (target.settingsKey !== undefined && target.settingsKey !== settingsKeyOf({ name: target.name }))
    return `a plugin's settings are targets.x-${target.name}; leave settingsKey out`;
  const codes = Object.keys(target.codes ?? {});
  if (codes.some((code) => !/^AFC3\d{3}$/.test(code))) return 'codes must be AFC3xxx';
  if (target.secrets !== 'values' && target.secrets !== 'references' && typeof target.secrets !== 'function')
    return "secrets must be 'values', 'references' or a function of the model";
  return undefined;
}
