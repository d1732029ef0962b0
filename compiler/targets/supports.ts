import type { Problem } from '../diagnostics/problem.ts';
import type { Model } from '../normalize/model.ts';
import type { TargetManifest } from './manifest.ts';

/**
 * The executor and DAG source of the model, checked against the target's
 * `supports`: one refusal (AFC2022) each, at `airflow.executor` or
 * `dags.<kind>`, with the target's reason when it gives one and a hint that
 * lists what it supports.
 */
export function unsupported(model: Model, manifest: TargetManifest): Problem[] {
  const { executors, dagSources, why = {} } = manifest.supports;
  const because = (what: keyof typeof why) => (why[what] ? `: ${why[what]}` : '');
  const out: Problem[] = [];
  const refuse = (path: Problem['path'], message: string, hint: string) => out.push({ code: 'AFC2022', severity: 'error', path, message, hint, at: 'scalar' });
  const executor = model.airflow.executor;
  if (!executors.includes(executor))
    refuse(['airflow', 'executor'], `${manifest.name} cannot run ${executor}${because(executor)}`, `${manifest.name} runs ${orList(executors)}`);
  const source = model.dags.kind;
  if (!dagSources.includes(source))
    refuse(
      ['dags', source],
      `${manifest.name} cannot take DAGs from dags.${source}${because(source)}`,
      `${manifest.name} takes DAGs from ${orList(dagSources.map((s) => `dags.${s}`))}`,
    );
  return out;
}

function orList(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items.at(-1)}` : (items[0] ?? 'nothing');
}
