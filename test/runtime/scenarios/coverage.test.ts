import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NEWEST_KNOWN_AIRFLOW } from '../../../compiler/normalize/airflow-version.ts';
import { brokenScenarios } from './broken.ts';
import { composeScenarios } from './compose.ts';
import { ec2Scenarios } from './ec2.ts';
import { ecsScenarios } from './ecs.ts';
import { kubernetesScenarios } from './kubernetes.ts';
import type { ScenarioDefinition } from './scenario.ts';

/** The Airflow minor (`3.3`) a scenario's spec declares, read as the text of its `airflow.version`. */
function minorOf(scenario: ScenarioDefinition): string {
  const text =
    'example' in scenario.spec ? readFileSync(new URL(`../../../examples/${scenario.spec.example}/airflow.yaml`, import.meta.url), 'utf8') : scenario.spec.yaml;
  const version = /version: "(\d+\.\d+)\.\d+"/.exec(text)?.[1];
  return version ?? expect.fail(`${scenario.name}: no airflow.version`);
}

const scenarios = [...composeScenarios, ...ec2Scenarios, ...ecsScenarios, ...kubernetesScenarios];
const newest = NEWEST_KNOWN_AIRFLOW.split('.').slice(0, 2).join('.');

describe('which Airflow releases the runtime scenarios run (docs/airflow-facts.md §14)', () => {
  it('runs the newest known release on every AWS target, and on the quick start', () => {
    for (const target of ['compose', 'ec2', 'ecs', 'eks'])
      expect(
        scenarios.some((s) => s.target === target && minorOf(s) === newest),
        target,
      ).toBe(true);
    expect(minorOf(composeScenarios[0] as ScenarioDefinition)).toBe(newest);
    for (const broken of brokenScenarios) expect(minorOf(broken)).toBe(newest);
  });

  it('keeps the newest Airflow 2 and the 3.1 minor covered', () => {
    const minors = new Set(scenarios.map(minorOf));
    expect(minors.has('2.11'), [...minors].join(', ')).toBe(true);
    expect(minors.has('3.1'), [...minors].join(', ')).toBe(true);
  });
});
