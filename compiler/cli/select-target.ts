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
  throw new UsageError(`unknown target "${name}"; available: ${names.join(', ')}`, guess ? `did you mean --target ${guess}?` : undefined);
}
