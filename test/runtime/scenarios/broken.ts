import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { ScenarioDefinition } from './scenario.ts';

/** Sets one variable of one service in a compose output, as a hand edit of the generated file would. */
function setServiceVariable(service: string, name: string, value: string): (outDir: string) => void {
  return (outDir) => {
    const file = join(outDir, 'docker-compose.yaml');
    const document = parseDocument(readFileSync(file, 'utf8'));
    document.setIn(['services', service, 'environment', name], value);
    writeFileSync(file, document.toString());
  };
}

/**
 * The harness's own test: the quick start's output, broken on purpose where
 * a generated file can be wrong without any static validator noticing. The
 * deployment still comes up; the DAG run must fail.
 */
export const brokenScenarios: ScenarioDefinition[] = [
  {
    name: 'broken on purpose: the scheduler signs task tokens with another JWT secret than the api-server',
    target: 'compose',
    spec: { example: 'local' },
    tamper: setServiceVariable('airflow-scheduler', 'AIRFLOW__API_AUTH__JWT_SECRET', 'not-the-api-servers-jwt-secret-0123456789abcdef'),
  },
  {
    name: 'broken on purpose: the scheduler runs tasks against a wrong execution API URL',
    target: 'compose',
    spec: { example: 'local' },
    tamper: setServiceVariable('airflow-scheduler', 'AIRFLOW__CORE__EXECUTION_API_SERVER_URL', 'http://airflow-apiserver:8080/not-the-execution-api/'),
  },
  {
    // The api-server requires the `iss` claim it is configured with (docs/airflow-facts.md §14): every component must agree on it.
    name: 'broken on purpose: the scheduler signs task tokens with another JWT issuer than the api-server',
    target: 'compose',
    spec: { example: 'local' },
    tamper: setServiceVariable('airflow-scheduler', 'AIRFLOW__API_AUTH__JWT_ISSUER', 'not-the-api-servers-issuer'),
  },
];
