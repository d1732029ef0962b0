import type { TargetManifest } from '../compiler/targets/manifest.ts';
import type { Target } from '../compiler/targets/target.ts';
import { composeManifest } from './compose/manifest.ts';
import { ec2Manifest } from './ec2/manifest.ts';
import { ecsManifest } from './ecs/manifest.ts';
import { eksManifest } from './eks/manifest.ts';
import { kubernetesManifest } from './kubernetes/manifest.ts';

/** A built-in target: its light manifest, and its render code, imported only when used so that start-up stays fast. */
export interface BuiltInTarget {
  manifest: TargetManifest;
  load(): Promise<Target>;
}

/** Every built-in target, by name. A new target adds its line here. */
export const BUILT_IN_TARGETS: readonly BuiltInTarget[] = [
  { manifest: composeManifest, load: async () => (await import('./compose/index.ts')).composeTarget },
  { manifest: ec2Manifest, load: async () => (await import('./ec2/index.ts')).ec2Target },
  { manifest: ecsManifest, load: async () => (await import('./ecs/index.ts')).ecsTarget },
  { manifest: eksManifest, load: async () => (await import('./eks/index.ts')).eksTarget },
  { manifest: kubernetesManifest, load: async () => (await import('./kubernetes/index.ts')).kubernetesTarget },
];
