import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One runtime scenario: a spec (an example, or a variant written here) built for a target and run. */
export interface ScenarioDefinition {
  name: string;
  target: string;
  spec: { example: string } | { yaml: string; files?: Record<string, string> };
  environment?: string;
  /** Edits the output before it runs; the scenario must then fail (the harness's own test). */
  tamper?: (outDir: string) => void;
}

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** The spec file of a scenario: the example's, or the variant written with its files into a fresh folder. */
export function specFile(definition: ScenarioDefinition): string {
  if ('example' in definition.spec) return join(EXAMPLES, definition.spec.example, 'airflow.yaml');
  const dir = mkdtempSync(join(tmpdir(), 'afc-variant-'));
  for (const [name, content] of Object.entries(definition.spec.files ?? {})) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  writeFileSync(join(dir, 'airflow.yaml'), definition.spec.yaml);
  return join(dir, 'airflow.yaml');
}
