import { didYouMean } from '../diagnostics/did-you-mean.ts';
import { TargetError, TargetRegistry } from '../targets/registry.ts';
import type { Target } from '../targets/target.ts';
import { UsageError } from './usage-error.ts';

/** A registry with the `--plugin` targets loaded. */
export async function registryWith(plugins: readonly string[], cwd = process.cwd()): Promise<TargetRegistry> {
  const registry = new TargetRegistry();
  for (const plugin of plugins) {
    try {
      await registry.addPlugin(plugin, cwd);
    } catch (error) {
      if (error instanceof TargetError) throw new UsageError(error.message);
      throw error;
    }
  }
  return registry;
}

export async function selectTarget(registry: TargetRegistry, name: string): Promise<Target> {
  const target = await registry.get(name);
  if (target) return target;
  const names = registry.names();
  const guess = didYouMean(name, names);
  const available = names.length ? `available: ${names.join(', ')}` : 'no target is available yet (built-in targets arrive with their issues; load one with --plugin)';
  throw new UsageError(`unknown target "${name}"; ${available}`, guess ? `did you mean --target ${guess}?` : undefined);
}
