import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { importModule } from '../import-module.ts';
import type { Target } from './target.ts';

/**
 * Built-in targets, imported only when used so that start-up stays fast.
 * Each target issue adds its line here.
 */
const BUILT_IN: Record<string, { description: string; load: () => Promise<Target> }> = {
  compose: { description: 'docker-compose for a laptop or a single host', load: async () => (await import('../../targets/compose/index.ts')).composeTarget },
  ec2: { description: 'Terraform for one EC2 host running the compose bundle', load: async () => (await import('../../targets/ec2/index.ts')).ec2Target },
  ecs: { description: 'one CloudFormation template for ECS (Fargate or EC2)', load: async () => (await import('../../targets/ecs/index.ts')).ecsTarget },
  eks: {
    description: 'Kubernetes manifests for EKS (ALB ingress, IRSA, External Secrets)',
    load: async () => (await import('../../targets/eks/index.ts')).eksTarget,
  },
  kubernetes: { description: 'Kubernetes manifests for any cluster', load: async () => (await import('../../targets/kubernetes/index.ts')).kubernetesTarget },
};

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
    const valid = target as Target;
    if (BUILT_IN[valid.name] || this.plugins.has(valid.name))
      throw new TargetError(`plugin ${specifier}: a target named "${valid.name}" is already registered`);
    this.plugins.set(valid.name, valid);
    return valid;
  }

  names(): string[] {
    return [...Object.keys(BUILT_IN), ...this.plugins.keys()].sort();
  }

  async list(): Promise<{ name: string; description: string; plugin: boolean }[]> {
    return this.names().map((name) => {
      const plugin = this.plugins.get(name);
      return { name, description: plugin?.description ?? BUILT_IN[name]!.description, plugin: plugin !== undefined };
    });
  }

  /** The target, or undefined when no target has that name. */
  async get(name: string): Promise<Target | undefined> {
    return this.plugins.get(name) ?? (await BUILT_IN[name]?.load());
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
  if (target.secrets !== 'values' && target.secrets !== 'references' && typeof target.secrets !== 'function')
    return "secrets must be 'values', 'references' or a function of the model";
  return undefined;
}
