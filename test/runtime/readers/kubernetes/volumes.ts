import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { PlanMount } from '../../plan.ts';
import type { ConfigData } from './config-data.ts';
import { onlyFields } from './manifests.ts';

interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  configMap?: ItemsSource;
  secret?: ItemsSource & { secretName: string };
}

interface ItemsSource {
  name?: string;
  secretName?: string;
  items?: { key: string; path: string; mode?: number }[];
  defaultMode?: number;
  optional?: boolean;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

/** Where the run keeps what the kubelet would put on a node: volumes of pods, persistent volumes. */
export interface NodeStorage {
  runDir: string;
  /** Claims the output declares (StatefulSet volumeClaimTemplates become claims per pod). */
  claims: ReadonlySet<string>;
}

/**
 * A pod's volumes as the kubelet sets them up on a node, as folders of the
 * run: an emptyDir is new and empty for each pod (mode 0777); a
 * persistentVolumeClaim is one folder per claim, as a freshly formatted ext4
 * volume is (0755, with lost+found); configMap and secret volumes hold a
 * file per key (or per `items` entry) with `defaultMode` (0644 unless set)
 * and are mounted read-only. With an fsGroup, every volume is group-owned by
 * it, group-readable (and writable where it is not read-only) and its
 * folders set-group-ID, as SetVolumeOwnership does.
 */
export class PodVolumes {
  private readonly paths = new Map<string, { path: string; readOnly: boolean }>();

  constructor(pod: string, volumes: Volume[], fsGroup: number | undefined, data: ConfigData, storage: NodeStorage, where: string) {
    const podDir = join(storage.runDir, 'kubernetes', 'pods', pod);
    for (const [index, volume] of volumes.entries()) {
      const at = `${where}.volumes[${index}] (${volume.name})`;
      onlyFields(volume, ['name', 'emptyDir', 'persistentVolumeClaim', 'configMap', 'secret'], at);
      if (volume.emptyDir) {
        onlyFields(volume.emptyDir, ['medium', 'sizeLimit'], `${at}.emptyDir`);
        const path = join(podDir, 'empty-dir', volume.name);
        folder(path, 0o777, fsGroup);
        this.paths.set(volume.name, { path, readOnly: false });
      } else if (volume.persistentVolumeClaim) {
        const claim = volume.persistentVolumeClaim.claimName;
        if (!storage.claims.has(claim)) throw new Error(`${at}: no PersistentVolumeClaim ${claim} in the output (the pod would stay Pending)`);
        const path = join(storage.runDir, 'kubernetes', 'claims', claim);
        if (!existsSync(path)) {
          mkdirSync(join(path, 'lost+found'), { recursive: true });
          chmodSync(join(path, 'lost+found'), 0o700);
          for (const [dir, mode] of [
            [path, 0o755],
            [join(path, 'lost+found'), 0o700],
          ] as const)
            owned(dir, mode, fsGroup);
        }
        this.paths.set(volume.name, { path, readOnly: volume.persistentVolumeClaim.readOnly ?? false });
      } else if (volume.configMap || volume.secret) {
        const source = (volume.configMap ?? volume.secret)!;
        const kind = volume.configMap ? 'ConfigMap' : 'Secret';
        const name = volume.configMap ? source.name : source.secretName;
        onlyFields(
          source,
          volume.configMap ? ['name', 'items', 'defaultMode', 'optional'] : ['secretName', 'items', 'defaultMode', 'optional'],
          `${at}.${volume.configMap ? 'configMap' : 'secret'}`,
        );
        const values = volume.configMap ? data.configMap(name!) : data.secret(name!);
        if (!values && !source.optional) throw new Error(`${at}: ${kind} ${name} does not exist (the pod would not start)`);
        const path = join(podDir, 'config', volume.name);
        folder(path, 0o777, fsGroup);
        const items: { key: string; path: string; mode?: number }[] = source.items ?? [...(values?.keys() ?? [])].map((key) => ({ key, path: key }));
        for (const item of items) {
          const value = values?.get(item.key);
          if (value === undefined) {
            if (source.optional) continue;
            throw new Error(`${at}: ${kind} ${name} has no key ${item.key} (the pod would not start)`);
          }
          const file = join(path, item.path);
          if (normalize(item.path).startsWith('..') || item.path.startsWith('/')) throw new Error(`${at}: item path ${item.path} leaves the volume`);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, value);
          const mode = item.mode ?? source.defaultMode ?? 0o644;
          if (fsGroup !== undefined) chownSync(file, 0, fsGroup);
          chmodSync(file, fsGroup !== undefined ? mode | 0o440 : mode);
        }
        this.paths.set(volume.name, { path, readOnly: true });
      } else throw new Error(`${at}: a volume of a kind the harness does not run (emptyDir, persistentVolumeClaim, configMap, secret)`);
    }
  }

  /** A container's volumeMounts as the run's mounts. */
  mounts(volumeMounts: VolumeMount[] | undefined, where: string): PlanMount[] {
    return (volumeMounts ?? []).map((mount, index) => {
      const at = `${where}.volumeMounts[${index}]`;
      onlyFields(mount, ['name', 'mountPath', 'readOnly', 'subPath'], at);
      const volume = this.paths.get(mount.name);
      if (!volume) throw new Error(`${at}: no volume ${mount.name} in the pod`);
      let path = volume.path;
      if (mount.subPath) {
        if (normalize(mount.subPath).startsWith('..') || mount.subPath.startsWith('/')) throw new Error(`${at}: subPath ${mount.subPath} leaves the volume`);
        path = join(volume.path, mount.subPath);
        // The kubelet makes a missing subPath a folder (and a file of a configMap or secret volume must exist).
        if (!existsSync(path)) {
          if (volume.readOnly) throw new Error(`${at}: subPath ${mount.subPath} is not in volume ${mount.name}`);
          mkdirSync(path, { recursive: true });
        }
      }
      return { hostPath: path, target: mount.mountPath, readOnly: volume.readOnly || (mount.readOnly ?? false) };
    });
  }
}

function folder(path: string, mode: number, fsGroup: number | undefined): void {
  mkdirSync(path, { recursive: true });
  owned(path, mode, fsGroup);
}

/** A folder's mode, and with an fsGroup its group, group read-write and set-group-ID (SetVolumeOwnership). */
function owned(path: string, mode: number, fsGroup: number | undefined): void {
  if (fsGroup === undefined) {
    chmodSync(path, mode);
    return;
  }
  chownSync(path, 0, fsGroup);
  chmodSync(path, mode | 0o660 | 0o110 | 0o2000);
}
