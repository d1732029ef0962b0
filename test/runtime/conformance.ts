/**
 * `npm run conformance -- <spec> --target T [--env E] [--dag ID]`: builds the
 * spec, runs what the target generates with real Airflow (runtime harness,
 * test/runtime/), prints one line per check and a verdict. Exit 0 when every
 * check passed, 1 when one failed, 2 when the run could not happen.
 */
import { parseArgs } from 'node:util';
import { runtimeUnavailable } from './environment.ts';
import { runScenario } from './scenario.ts';

const MARK = { ok: 'ok  ', failed: 'FAIL', skipped: 'skip' } as const;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { target: { type: 'string', short: 't' }, env: { type: 'string', short: 'e' }, dag: { type: 'string', short: 'd' } },
  });
  if (positionals.length !== 1 || !values.target) {
    process.stderr.write('usage: npm run conformance -- <spec> --target T [--env E] [--dag ID]\n');
    return 2;
  }
  const unavailable = runtimeUnavailable();
  if (unavailable) {
    process.stderr.write(`conformance: ${unavailable}\n`);
    return 2;
  }
  const result = await runScenario({
    spec: positionals[0]!,
    target: values.target,
    ...(values.env ? { environment: values.env } : {}),
    ...(values.dag ? { dag: values.dag } : {}),
    log: (line) => process.stderr.write(`conformance: ${line}\n`),
    report: (check) => process.stdout.write(`${MARK[check.status]}  ${check.name.padEnd(11)}  ${check.detail}\n`),
  });
  const failed = result.checks.filter((c) => c.status === 'failed').length;
  process.stdout.write(
    `${result.passed ? 'PASSED' : 'FAILED'}: ${result.checks.length - failed} of ${result.checks.length} checks passed (${values.target}, Airflow ${result.airflow}, ${Math.round(result.seconds)} s)\n`,
  );
  return result.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`conformance: ${error.message}\n`);
    process.exit(2);
  },
);
