import { describe, expect, it } from 'vitest';
import { runtimeUnavailable } from './environment.ts';
import { REQUIRED_CHECKS, runScenario, type ScenarioResult } from './scenario.ts';
import { brokenScenarios } from './scenarios/broken.ts';
import { composeScenarios } from './scenarios/compose.ts';
import { ec2Scenarios } from './scenarios/ec2.ts';
import { ecsScenarios } from './scenarios/ecs.ts';
import { kubernetesScenarios } from './scenarios/kubernetes.ts';
import { specFile, type ScenarioDefinition } from './scenarios/scenario.ts';

const unavailable = runtimeUnavailable();
if (unavailable && process.env.AFC_REQUIRE_TOOLS === '1') throw new Error(`${unavailable} (AFC_REQUIRE_TOOLS=1)`);

/**
 * Each scenario builds a spec, runs its output with real Airflow and checks it
 * (scenario.ts). Measured on 2 cores: 70–160 s idle, up to 360 s while other
 * work loads the machine; the limit leaves room beyond that.
 */
const SCENARIO_TIMEOUT_MS = 20 * 60_000;

async function run(scenario: ScenarioDefinition): Promise<ScenarioResult> {
  const lines: string[] = [];
  const result = await runScenario({
    spec: specFile(scenario),
    target: scenario.target,
    ...(scenario.environment ? { environment: scenario.environment } : {}),
    ...(scenario.tamper ? { tamper: scenario.tamper } : {}),
    report: (check) => lines.push(`${check.status.padEnd(7)} ${check.name}: ${check.detail}`),
  });
  console.log(`${scenario.name}: ${Math.round(result.seconds)} s on Airflow ${result.airflow}\n${lines.join('\n')}`);
  return result;
}

const failed = (result: ScenarioResult) => result.checks.filter((c) => c.status === 'failed');

describe.skipIf(unavailable !== undefined)(`runtime scenarios${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  for (const scenario of [...composeScenarios, ...ec2Scenarios, ...ecsScenarios, ...kubernetesScenarios]) {
    it(
      scenario.name,
      async () => {
        const result = await run(scenario);
        expect(failed(result).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
        // Every check the scenario is about ran and passed: a skipped login or DAG run is no pass.
        expect(REQUIRED_CHECKS.filter((name) => !result.checks.some((c) => c.name === name && c.status === 'ok'))).toEqual([]);
        expect(result.passed).toBe(true);
      },
      SCENARIO_TIMEOUT_MS,
    );
  }

  for (const scenario of brokenScenarios) {
    it(
      scenario.name,
      async () => {
        const result = await run(scenario);
        // It comes up and logs in as before; the task cannot report to the api-server, so the run fails.
        expect(result.checks.filter((c) => ['start', 'health', 'login'].includes(c.name)).map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
        expect(failed(result).map((c) => c.name)).toContain('dag');
      },
      SCENARIO_TIMEOUT_MS,
    );
  }
});
