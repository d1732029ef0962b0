import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One object of the output, with where it was read (for messages). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: a manifest's fields are whatever the generated file holds
  [field: string]: any;
  /** `file#index: Kind/name`. */
  source: string;
}

/** The kustomization fields the reader applies; any other (patches, generators, images, namePrefix…) is refused. */
const KUSTOMIZATION_FIELDS = new Set(['apiVersion', 'kind', 'resources']);

/**
 * Every object of a kustomization's `resources` files, in order, as
 * `kubectl apply -k` sends them: each file's documents, empty ones skipped.
 */
export function readManifests(dir: string): Manifest[] {
  const kustomization = parseFile(join(dir, 'kustomization.yaml'))[0] as { resources?: unknown } | undefined;
  if (!kustomization || typeof kustomization !== 'object') throw new Error(`${dir}/kustomization.yaml is empty`);
  const unknown = Object.keys(kustomization).filter((k) => !KUSTOMIZATION_FIELDS.has(k));
  if (unknown.length) throw new Error(`kustomization.yaml: the harness applies resources only, not ${unknown.join(', ')}`);
  const resources = kustomization.resources;
  if (!Array.isArray(resources)) throw new Error('kustomization.yaml: resources is not a list');
  const manifests: Manifest[] = [];
  for (const file of resources) {
    if (typeof file !== 'string' || file.includes('://') || !/\.ya?ml$/.test(file))
      throw new Error(`kustomization.yaml: resource ${JSON.stringify(file)} is not a YAML file beside it (the harness reads files, not bases or URLs)`);
    for (const [index, doc] of parseFile(join(dir, file)).entries()) {
      if (doc === null || doc === undefined) continue;
      const object = doc as Partial<Manifest>;
      const where = `${file}#${index}`;
      if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof object.metadata?.name !== 'string')
        throw new Error(`${where}: not a Kubernetes object (apiVersion, kind and metadata.name)`);
      manifests.push({ ...(object as Manifest), source: `${where}: ${object.kind}/${object.metadata.name}` });
    }
  }
  const seen = new Set<string>();
  for (const m of manifests) {
    const key = `${m.apiVersion.split('/')[0]}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
    if (seen.has(key)) throw new Error(`${m.source}: a second object of that kind and name (kubectl applies one over the other)`);
    seen.add(key);
  }
  const namespaces = new Set(manifests.map((m) => m.metadata.namespace ?? 'default'));
  if (namespaces.size > 1)
    throw new Error(`the output spans namespaces ${[...namespaces].join(', ')}; the harness has one cluster DNS zone and runs one namespace`);
  return manifests;
}

function parseFile(path: string): unknown[] {
  const text = readFileSync(path, 'utf8');
  // kubectl reads YAML 1.1 (sigs.k8s.io/yaml): an unquoted yes, on or 0755 is not a string there.
  return parseAllDocuments(text, { version: '1.1' }).map((doc) => {
    if (doc.errors.length) throw new Error(`${path}: ${doc.errors[0]!.message}`);
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  });
}

/** The namespace of the output's objects (kubectl's default when none is named). */
export function namespaceOf(manifests: readonly Manifest[]): string {
  return manifests.find((m) => m.metadata.namespace)?.metadata.namespace ?? 'default';
}

/** Refuses the fields of `object` that the reader does not know, naming them: what it cannot honour it must not skip. */
export function onlyFields(object: object | undefined, known: readonly string[], where: string): void {
  if (!object) return;
  const unknown = Object.keys(object).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`${where}: the harness does not run ${unknown.map((k) => `\`${k}\``).join(', ')}`);
}
