import { AIRFLOW_WEB_PORT } from '../../airflow/components.ts';
import { CODES, type Code } from '../../diagnostics/codes.ts';
import { didYouMean } from '../../diagnostics/did-you-mean.ts';
import { formatDiagnostics, summaryLine } from '../../diagnostics/format.ts';
import { resolveSecrets } from '../../secrets/resolve.ts';
import { AirflowApi } from '../../smoke/airflow-api.ts';
import { smoke, type SmokeCheck } from '../../smoke/smoke.ts';
import { UnknownEnvironmentError, validateFile } from '../../validate/validate-spec.ts';
import { type CommandDefinition, type OptionDefinitions, parseCommand, usageText } from '../command.ts';
import { SECRET_FILES_FROM_OPTION } from '../build-options.ts';
import { registryWith, selectTarget } from '../select-target.ts';
import { UsageError } from '../usage-error.ts';

const definition = {
  name: 'smoke',
  synopsis: '<spec> --target NAME --url URL [options]',
  description: `Checks a running deployment of the spec, as a user would after deploying it:
the UI's health endpoint reports every component healthy; the admin user of
secrets.adminUser logs in with the password its reference holds; with --dag,
that DAG is unpaused, triggered and waited for; and its tasks' logs are read
through the REST API. One line per check.`,
  options: {
    target: { type: 'string', short: 't', value: 'NAME', description: ['the target it was deployed with (its region reads SSM)'] },
    url: { type: 'string', short: 'u', value: 'URL', description: ["the UI's base URL, e.g. https://airflow.example.com"] },
    env: { type: 'string', short: 'e', value: 'NAME', description: ['the environment it was built with'] },
    dag: { type: 'string', short: 'd', value: 'ID', description: ['a DAG to trigger and wait for'] },
    timeout: { type: 'string', value: 'S', description: ['give up after S seconds (default 300)'] },
    'secret-files-from': SECRET_FILES_FROM_OPTION,
  },
  exitCodes: `0 every check passed, 1 a check failed (or invalid spec), 2 the
UI could not be reached, or a usage or environment error.`,
} as const satisfies CommandDefinition<OptionDefinitions>;

export const usage = usageText(definition);

const MARK: Record<SmokeCheck['status'], string> = { ok: 'ok  ', failed: 'FAIL', skipped: 'skip' };

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(definition, argv);
  if (positionals.length !== 1) throw new UsageError('afc smoke takes one spec file', 'afc smoke airflow.yaml --target eks --url https://airflow.example.com');
  if (values.target === undefined) throw new UsageError('afc smoke needs --target', 'run `afc targets` for the list');
  if (values.url === undefined) throw new UsageError('afc smoke needs --url, the UI the deployment serves', `e.g. --url http://127.0.0.1:${AIRFLOW_WEB_PORT}`);
  const url = uiUrl(values.url);
  const timeout = values.timeout === undefined ? 300 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a number of seconds, not "${values.timeout}"`);
  const file = positionals[0]!;
  const target = await selectTarget(await registryWith([]), values.target);

  let validated: ReturnType<typeof validateFile>;
  try {
    validated = validateFile(file, { target, ...(values.env !== undefined ? { environment: values.env } : {}) });
  } catch (error) {
    if (!(error instanceof UnknownEnvironmentError)) throw error;
    const guess = didYouMean(error.environment, error.known);
    throw new UsageError(`${file}: unknown environment "${error.environment}"`, guess ? `did you mean --env ${guess}?` : undefined);
  }
  if (!validated.ok) {
    const errors = validated.diagnostics.filter((d) => d.severity === 'error');
    process.stderr.write(formatDiagnostics(errors, 'text', new Map(validated.source !== undefined ? [[file, validated.source]] : [])));
    process.stderr.write(`${summaryLine(validated.diagnostics, 1)}\n`);
    return errors.some((d) => CODES[d.code as Code]?.exit === 2) ? 2 : 1;
  }
  const model = validated.model;

  let admin: { username: string; password: string } | undefined;
  if (model.secrets.adminUser) {
    const region = (model.targets as Record<string, { region?: string } | undefined>)[target.name]?.region;
    const path = ['secrets', 'adminUser', 'password'];
    const resolved = await resolveSecrets([{ path, ref: model.secrets.adminUser.password }], {
      specFile: file,
      secretFilesFrom: values['secret-files-from'] ?? [],
      mode: 'values',
      offline: false,
      targetName: target.name,
      fromSsmPath: {},
      ...(region ? { region } : {}),
    });
    const problem = resolved.problems[0];
    if (problem) throw new UsageError(`cannot read the admin password (secrets.adminUser.password): ${problem.message}`, problem.hint);
    admin = { username: model.secrets.adminUser.username, password: resolved.values.value(model.secrets.adminUser.password) };
    if (url.protocol === 'http:' && !isLoopback(url.hostname))
      process.stderr.write(`afc smoke: warning: the admin password goes to ${url.host} unencrypted (http://); use the https:// URL of the UI\n`);
  } else if (values.dag !== undefined) {
    throw new UsageError(
      '--dag needs a login, and the spec has no secrets.adminUser',
      'add secrets.adminUser to the spec, or leave --dag out to check health alone',
    );
  }

  const api = new AirflowApi(url.href.replace(/\/+$/, ''), model.facts);
  const result = await smoke({
    api,
    ...(admin ? { admin } : {}),
    ...(values.dag !== undefined ? { dag: { id: values.dag } } : {}),
    timeoutMs: timeout * 1000,
    report: (check) => process.stdout.write(`${MARK[check.status]}  ${check.name.padEnd(6)}  ${check.detail}\n`),
  });
  if (result.unreachable) return 2;
  return result.checks.some((c) => c.status === 'failed') ? 1 : 0;
}

/** The UI's URL from --url: http(s), without credentials (they would be printed), a query or a fragment. */
function uiUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url ${text} is not a URL`, 'e.g. --url https://airflow.example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--url must be an http:// or https:// URL, not ${url.protocol}`, 'e.g. --url https://airflow.example.com');
  if (url.username || url.password) throw new UsageError('--url must not hold a user or password: afc smoke logs in with secrets.adminUser');
  if (url.search || url.hash) throw new UsageError("--url is the UI's base URL, without a query or fragment", `e.g. --url ${url.origin}${url.pathname}`);
  return url;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}
