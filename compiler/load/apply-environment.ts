import { isMap, isScalar, type Document, type YAMLMap } from 'yaml';
import type { SpecPath } from '../diagnostics/problem.ts';
import { schemaAt } from '../validate/schema-walk.ts';
import { MAX_ALIAS_COUNT, type LoadedSpec } from './load-spec.ts';

export interface MergedSpec {
  file: string;
  source: string;
  document: Document;
  lineCounter: LoadedSpec['lineCounter'];
  data: Record<string, unknown>;
  environment: string;
}

export function environmentNames(spec: LoadedSpec): string[] {
  const environments = spec.data.environments;
  return environments && typeof environments === 'object' ? Object.keys(environments) : [];
}

/**
 * The spec with one environment's overlay merged in, as a YAML document:
 * merging nodes (not plain data) keeps every value's position, so a mistake
 * in the overlay is reported on the overlay's line. Maps merge; lists and
 * scalars replace. An "exactly one of" mapping (a DAG source, a database, a
 * secret reference) merges while the overlay keeps its choice
 * (`database.managed` over `database.managed`) and is replaced when the
 * overlay makes another (`database.external` over `database.managed`).
 */
export function applyEnvironment(spec: LoadedSpec, environment: string): MergedSpec {
  const document = spec.document.clone();
  const root = document.contents as YAMLMap;
  const overlay = (root.get('environments', true) as YAMLMap | undefined)?.get(environment, true);
  root.delete('environments');
  if (isMap(overlay)) mergeInto(root, overlay, [], spec.data);
  const data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  return { file: spec.file, source: spec.source, document, lineCounter: spec.lineCounter, data, environment };
}

function mergeInto(base: YAMLMap, overlay: YAMLMap, path: SpecPath, baseData: unknown): void {
  for (const pair of overlay.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const childPath = [...path, key];
    const current = base.get(key, true);
    const schema = schemaAt(childPath, baseData);
    const exactlyOne = schema?.minProperties === 1 && schema.maxProperties === 1;
    const sameChoice = isMap(current) && isMap(pair.value) && pair.value.items.every((p) => isScalar(p.key) && current.has(p.key.value));
    if (isMap(current) && isMap(pair.value) && (!exactlyOne || sameChoice)) {
      mergeInto(current, pair.value, childPath, baseData);
      continue;
    }
    // The overlay's own pair, key and all: a problem in it is reported on the overlay's line.
    const index = base.items.findIndex((p) => isScalar(p.key) && p.key.value === key);
    if (index >= 0) base.items[index] = pair;
    else base.items.push(pair);
  }
}
