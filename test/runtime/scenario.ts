import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOutput } from '../../compiler/build/build.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { airflowCatalogue } from '../../compiler/airflow/components.ts';
import { collectSecretUses } from '../../compiler/secrets/collect.ts';
import { AirflowApi } from '../../compiler/smoke/airflow-api.ts';
import { smoke, type SmokeCheck } from '../../compiler/smoke/smoke.ts';
import { TargetRegistry } from '../../compiler/targets/registry.ts';
import { validateFile } from '../../compiler/validate/validate-spec.ts';
import { writeOutput } from '../../compiler/write/write-output.ts';
import type { SecretRef } from '../../schema/generated/types.ts';
import { putSecureStrings } from '../support/moto.ts';
import { RunCertificates } from './certificates.ts';
import { Redactor } from './redact.ts';
import { RuntimeHost } from './environment.ts';
import { run } from './host/shell.ts';
import { postgresServer, redisServer } from './managed-services.ts';
import type { PodPlan } from './plan.ts';
import { readOutput } from './readers/index.ts';
import { DeploymentRun } from './runner.ts';
import { generateSecretValues } from './secrets.ts';
import { airflowRuntimeFor, AWS_CLI_BIN, composeShellEnvironment, DEFAULT_REGION, platformAwsEnvironment, type TranslationContext } from './translation.ts';

const CANARY = fileURLToPath(new URL('./canary/afc_canary.py', import.meta.url));
const CANARY_DAG = 'afc_canary';

export interface ScenarioRequest {
  /** The spec; its folder is copied, never written to. */
  spec: string;
  target: string;
  environment?: string;
  /** A DAG of the spec's own DAG source to trigger instead of the canary. */
  dag?: string;
  /** Edits the output before it runs: the broken-on-purpose tests. */
  tamper?: (outDir: string) => void;
  /** Told each check as it completes. */
  report?: (check: SmokeCheck) => void;
  /** Progress lines for people. */
  log?: (line: string) => void;
}

export interface ScenarioResult {
  checks: SmokeCheck[];
  passed: boolean;
  /** Which Airflow release ran the spec's version. */
  airflow: string;
  seconds: number;
}

/**
 * Builds a spec for a target and runs what it generates with real Airflow
 * (translation.ts says what stands in for what), then checks, against the
 * running processes: the migration ran first and everything waited for it,
 * every declared health check passes, the admin user logs in, a DAG from the
 * spec's DAG source runs and sees the spec's connections and variables, and
 * its log can be read while it runs and after.
 */
export async function runScenario(request: ScenarioRequest): Promise<ScenarioResult> {
  const started = Date.now();
  const log = request.log ?? (() => undefined);
  const checks: SmokeCheck[] = [];
  const secrets = new Redactor();
  const report = (check: SmokeCheck) => {
    const shown = { ...check, detail: secrets.redact(check.detail) };
    checks.push(shown);
    request.report?.(shown);
  };
  const add = (name: string, ok: boolean, detail: string) => report({ name, status: ok ? 'ok' : 'failed', detail });

  const registry = new TargetRegistry();
  const target = await registry.get(request.target);
  if (!target) throw new Error(`unknown target ${request.target}`);
  const host = await RuntimeHost.start();
  const saved = { ...process.env };
  let deployment: DeploymentRun | undefined;
  // Interrupted (Ctrl-C, a CI timeout): the pods, network and mounts go too; the exit status says which signal.
  const interrupted = (signal: NodeJS.Signals) =>
    void (async () => {
      await deployment?.stop();
      await host.stop();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    })();
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let runtimeVersion = '';
  try {
    // The spec's folder, copied: the canary goes into its DAG folder, and the output next to it.
    const specDir = join(host.dir, 'spec');
    cpSync(dirname(resolve(request.spec)), specDir, { recursive: true, filter: (source) => !/\/(out|\.git|node_modules)$/.test(source) });
    const specFile = join(specDir, basename(request.spec));
    const validated = validateFile(specFile, { target, ...(request.environment ? { environment: request.environment } : {}) });
    if (!validated.ok) throw new Error(`the spec is not valid:\n${validated.diagnostics.map((d) => `  ${d.code} ${d.message}`).join('\n')}`);
    const model = validated.model;
    const runtime = airflowRuntimeFor(model.airflow.version.raw);
    runtimeVersion = runtime.version;
    log(`Airflow ${model.airflow.version.raw} runs on the installed ${runtime.version}`);

    // SSM and the build's environment hold generated values; the build reads SSM from moto.
    const region = (model.targets as Record<string, { region?: string } | undefined>)[request.target]?.region ?? DEFAULT_REGION;
    const aws = platformAwsEnvironment(host.awsEndpoint, region);
    Object.assign(process.env, aws, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    const generated = generateSecretValues(collectSecretUses(validated.checked.data));
    for (const [name, value] of generated.env) process.env[name] = value;
    await putSecureStrings(Object.fromEntries(generated.ssm));
    const secretValue = (ref: SecretRef): string => {
      if (ref.ssm !== undefined) return generated.ssm.get(ref.ssm)!;
      if (ref.env !== undefined) return generated.env.get(ref.env)!;
      if (ref.file !== undefined) return readFileSync(resolve(specDir, ref.file), 'utf8').replace(/\r?\n$/, '');
      return ref.value!;
    };
    for (const use of collectSecretUses(validated.checked.data))
      if (use.ref.ssm !== undefined || use.ref.env !== undefined || use.ref.file !== undefined || use.ref.value !== undefined)
        secrets.add(secretValue(use.ref));

    // The buckets the spec names exist on the platform: the remote log folder's (the DAG bucket below).
    if (model.logging.remote) await createBucket(aws, new URL(model.logging.remote.s3).hostname);
    const imageDags = await placeCanary(model, specDir, aws, request.dag);
    const outDir = join(host.dir, 'out');
    const built = await buildOutput({ file: specFile, target, outDir, ...(request.environment ? { environment: request.environment } : {}) });
    const errors = built.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || !built.ok) throw new Error(`afc build failed:\n${errors.map((d) => `  ${d.code} ${d.message}`).join('\n')}`);
    writeOutput(outDir, built.files);
    request.tamper?.(outDir);
    log(`built ${request.target} into ${outDir}`);

    const certificates = await RunCertificates.create(host.dir);
    const translation: TranslationContext = { airflow: { image: model.airflow.image.reference, runtime }, imageDags, trustedCa: certificates.ca };
    let plan = await readOutput(request.target, outDir, {
      model,
      secretValue,
      ssm: generated.ssm,
      certificates,
      awsEndpoint: host.awsEndpoint,
      runDir: host.dir,
      hostAddress: host.network.hostAddress,
      shell: composeShellEnvironment(aws),
    });
    plan.pods.push(...(await userServices(model, secretValue, generated.broker, certificates)));

    // The platform's AWS identity, where it gives one (not a laptop's compose); it changes with the stage.
    let platformEnv = plan.awsIdentity === false ? {} : aws;
    deployment = new DeploymentRun(plan, host.dir, host.network, translation, () => platformEnv);
    log(`starting ${plan.pods.length} pods`);
    try {
      await deployment.start(15 * 60_000);
      while (plan.nextStage) {
        plan = await plan.nextStage();
        platformEnv = plan.awsIdentity === false ? {} : aws;
        deployment.extend(plan);
        log(`next stage: ${plan.pods.length} pods`);
        await deployment.start(15 * 60_000);
      }
      add('start', true, `${deployment.plan.pods.length} pods up in ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (error) {
      add('start', false, (error as Error).message);
      return { checks, passed: false, airflow: runtimeVersion, seconds: (Date.now() - started) / 1000 };
    }
    checkMigrationOrder(deployment, add);
    for (const result of await deployment.checkAll()) add('probe', result.outcome.ok, `${result.source}: ${result.outcome.detail}`);
    for (const check of plan.platformChecks) {
      const url = `http://${deployment.address(check.pod)}:${check.port}${check.path}`;
      // A load balancer's health check follows no redirect: a 302 is the answer it judges.
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000), redirect: 'manual' }).catch((e: Error) => e);
      add(
        'probe',
        !(response instanceof Error) && check.expect(response.status),
        `${check.source}: GET ${url}: ${response instanceof Error ? response.message : response.status}`,
      );
    }

    // afc smoke's own checks, with the canary's run conf and a read of the log while the task runs.
    const api = new AirflowApi(`http://${deployment.address(plan.ui.pod)}:${plan.ui.port}`, model.facts);
    const admin = model.secrets.adminUser
      ? { username: model.secrets.adminUser.username, password: secretValue(model.secrets.adminUser.password) }
      : await documentedLogin(model, deployment, plan.ui, add, secrets);
    const expected = request.dag ? undefined : await fingerprints(model, secretValue, runtime.venv, join(host.dir, 'fingerprints-home'));
    let whileRunning: string | undefined;
    const result = await smoke({
      api,
      ...(admin ? { admin } : {}),
      // The canary runs for 10 s, long enough for a few reads of its log while it runs (one a second).
      dag: { id: request.dag ?? CANARY_DAG, conf: expected ? { ...expected, absent: absentFromTasks(model), seconds: 10 } : {} },
      timeoutMs: 10 * 60_000,
      pollMs: 1_000,
      report,
      whileRunning: async (dagRun) => {
        if (whileRunning !== undefined || dagRun.state !== 'running') return;
        // A failed try here is asked again at the next poll; the final log read below is the check that counts.
        const running = (await api.taskInstances(request.dag ?? CANARY_DAG, dagRun.runId).catch(() => [])).find((t) => t.state === 'running');
        if (!running) return;
        const text = await api
          .taskLog(request.dag ?? CANARY_DAG, dagRun.runId, running.taskId, Math.max(running.tryNumber, 1))
          .catch((e: Error) => `(${e.message})`);
        if (request.dag || text.includes('afc-canary: started')) whileRunning = text;
      },
    });
    if (result.run && !request.dag) {
      add(
        'running log',
        whileRunning !== undefined,
        whileRunning !== undefined ? 'read through the API while the task ran' : "the running task's log never showed its first line",
      );
      // A task's remote log is uploaded after it has reported success (Airflow's task runner does it last): read until it is there.
      const read = () => api.taskLog(CANARY_DAG, result.run!.runId, 'canary', 1).catch((e: Error) => e.message);
      let final = await read();
      const succeeded = result.run.state === 'success';
      for (const deadline = Date.now() + 60_000; succeeded && !final.includes('afc-canary: done') && Date.now() < deadline; final = await read())
        await new Promise((r) => setTimeout(r, 3_000));
      const lines = final.split('\n').filter((l) => l.includes('afc-canary: connection') || l.includes('afc-canary: variable'));
      const names = Object.keys(expected!.connections).length + Object.keys(expected!.variables).length;
      add(
        'values',
        lines.length === names && lines.every((l) => l.includes('matches')),
        names === 0
          ? 'the spec has no connection or variable'
          : lines.map((l) => l.slice(l.indexOf('afc-canary: ') + 12).trim()).join(', ') || 'the log has no canary line',
      );
    }
    for (const service of deployment.plan.services ?? []) for (const f of service.findings?.() ?? []) add(f.name, f.ok, f.detail);
    // Through the run, not only at its start: a component that exhausted its restarts since.
    const failed = [...deployment.failed.entries()];
    const restarted = deployment.records.filter((r) => r.starts.length > 1).map((r) => `${r.pod}/${r.name} ${r.starts.length - 1}x`);
    add(
      'stable',
      failed.length === 0,
      failed.length
        ? failed.map(([pod, why]) => `${pod}: ${why}`).join('; ')
        : `no pod failed${restarted.length ? `; restarted: ${restarted.join(', ')}` : ''}`,
    );
  } finally {
    await holdForPostMortem(deployment, log);
    await deployment?.stop();
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    await host.stop();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
  // Passed: nothing failed, and every check the scenario is about ran (a skipped login or DAG run is no pass).
  const required = request.dag ? REQUIRED_CHECKS.filter((c) => c !== 'running log' && c !== 'values') : REQUIRED_CHECKS;
  const passed = checks.every((c) => c.status !== 'failed') && required.every((name) => checks.some((c) => c.name === name && c.status === 'ok'));
  return { checks, passed, airflow: runtimeVersion, seconds: (Date.now() - started) / 1000 };
}

/** The checks every scenario must pass (with --dag, the canary's own two aside). */
export const REQUIRED_CHECKS = ['start', 'migrate', 'probe', 'health', 'login', 'dag', 'log', 'running log', 'values', 'stable'];

/**
 * Without `secrets.adminUser`, what the documentation (the schema's
 * description of adminUser) promises: on Airflow 3, the SimpleAuthManager's
 * `admin`, whose password the api-server generated into its AIRFLOW_HOME
 * (the login then goes on with it); on Airflow 2, no user and no anonymous
 * access to the API.
 */
async function documentedLogin(
  model: Model,
  deployment: DeploymentRun,
  ui: { pod: string; port: number },
  add: (name: string, ok: boolean, detail: string) => void,
  secrets: Redactor,
): Promise<{ username: string; password: string } | undefined> {
  if (model.facts.major >= 3) {
    const file = '/opt/airflow/simple_auth_manager_passwords.json.generated';
    const container = deployment.containers.get(ui.pod)?.find((c) => c.config.argv.includes('api-server'));
    const result = await container?.exec(['cat', file], 30_000);
    let passwords: Record<string, string> = {};
    try {
      passwords = result?.exitCode === 0 ? (JSON.parse(result.output) as Record<string, string>) : {};
    } catch {
      /* not the JSON the SimpleAuthManager writes: no admin password below */
    }
    for (const password of Object.values(passwords)) secrets.add(String(password));
    add(
      'no admin',
      typeof passwords.admin === 'string',
      typeof passwords.admin === 'string'
        ? `no secrets.adminUser: the SimpleAuthManager's admin, password generated in ${file}`
        : `no secrets.adminUser, and no admin password in ${file} (cat exited ${result?.exitCode ?? 'never ran'})`,
    );
    return passwords.admin !== undefined ? { username: 'admin', password: passwords.admin } : undefined;
  }
  const url = `http://${deployment.address(ui.pod)}:${ui.port}${model.facts.restApi.prefix}/dags?limit=1`;
  const status = await fetch(url, { signal: AbortSignal.timeout(30_000) }).then(
    (r) => r.status,
    (e: Error) => e.message,
  );
  add('no admin', status === 401, `no secrets.adminUser: the API refuses an anonymous request (GET ${url}: ${status})`);
  return undefined;
}

/** AFC_RUNTIME_HOLD=<seconds> keeps the deployment running that long after the checks, to look at it by hand. */
async function holdForPostMortem(deployment: DeploymentRun | undefined, log: (line: string) => void): Promise<void> {
  const seconds = Number(process.env.AFC_RUNTIME_HOLD ?? 0);
  if (!deployment || !(seconds > 0)) return;
  log(
    `holding for ${seconds} s: ${[...deployment.slots.entries()].map(([pod, slot]) => `${pod} ${slot.address} (ip netns exec ${slot.namespace} …)`).join(', ')}`,
  );
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

/** The migration container exited 0, and every other Airflow container started after it did. */
function checkMigrationOrder(deployment: DeploymentRun, add: (name: string, ok: boolean, detail: string) => void): void {
  const migrations = deployment.records.filter((r) => r.argv.join(' ').includes('db migrate'));
  const succeeded = migrations.flatMap((r) => r.exits.filter((e) => e.code === 0).map((e) => e.at));
  if (succeeded.length === 0) {
    add(
      'migrate',
      false,
      migrations.length
        ? `no migration succeeded (${migrations.map((m) => `${m.pod}/${m.name}: ${m.exits.map((e) => e.code).join(', ') || 'running'}`).join('; ')})`
        : 'the output runs no `airflow db migrate`',
    );
    return;
  }
  const done = Math.min(...succeeded);
  const airflow = deployment.records.filter(
    (r) => !migrations.includes(r) && /\b(api-server|webserver|scheduler|dag-processor|triggerer|celery)\b/.test(r.argv.join(' ')),
  );
  if (airflow.length === 0) {
    add('migrate', false, 'migrated, but no Airflow component ran to have waited for it');
    return;
  }
  // Kubernetes orders nothing after a Job: each pod waits in an init container for `airflow db check-migrations`, which returns once the schema is at head (before `db migrate` exits).
  const checked = (r: (typeof airflow)[number]) =>
    deployment.records.some(
      (w) => w.pod === r.pod && w.argv.join(' ').includes('db check-migrations') && w.exits.some((e) => e.code === 0 && e.at <= (r.starts[0] ?? -Infinity)),
    );
  const afterCheck = airflow.filter((r) => (r.starts[0] ?? Infinity) < done && checked(r));
  const early = airflow.filter((r) => (r.starts[0] ?? Infinity) < done && !checked(r));
  add(
    'migrate',
    early.length === 0,
    early.length
      ? `started before the migration finished: ${early.map((r) => `${r.pod}/${r.name}`).join(', ')}`
      : `migrated; ${airflow.length} Airflow containers started after it${afterCheck.length ? ` (${afterCheck.length} once their pod's \`airflow db check-migrations\` saw the schema at head)` : ''}`,
  );
}

/** Puts the canary DAG where the spec's DAG source takes DAGs from; returns the Airflow image's DAG files. */
async function placeCanary(model: Model, specDir: string, aws: Record<string, string>, dag: string | undefined) {
  const content = readFileSync(CANARY);
  const dags = model.dags;
  if (dag !== undefined) {
    if (dags.kind === 'image') throw new Error('--dag: the harness cannot see the DAGs baked into your image; leave --dag out to run its canary DAG');
    return [];
  }
  switch (dags.kind) {
    case 'image':
      return [{ path: 'afc_canary.py', content }];
    case 'path': {
      const folder = resolve(specDir, dags.path);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'afc_canary.py'), content);
      return [];
    }
    case 's3': {
      await createBucket(aws, dags.bucket);
      const file = join(specDir, '.afc-canary.py');
      writeFileSync(file, content);
      await awsCli(aws, ['s3', 'cp', file, `s3://${dags.bucket}/${dags.prefix}afc_canary.py`]);
      return [];
    }
    case 'git':
      throw new Error('dags.git: the runtime harness has no git server; run a variant with dags.image, path or s3');
  }
}

/** The spec's connections and variables, fingerprinted by the installed Airflow (canary/afc_canary.py). */
async function fingerprints(
  model: Model,
  value: (ref: SecretRef) => string,
  venv: string,
  airflowHome: string,
): Promise<{ connections: Record<string, string>; variables: Record<string, string> }> {
  const spec = {
    connections: Object.fromEntries(model.connections.map((c) => [c.id, 'uri' in c.value ? c.value.uri : value(c.value)])),
    variables: Object.fromEntries(
      model.variables.map((v) => [v.name.replace(/^AIRFLOW_VAR_/, '').toLowerCase(), typeof v.value === 'string' ? v.value : value(v.value)]),
    ),
  };
  const out = await run('env', ['-i', `PATH=${venv}/bin:/usr/bin:/bin`, `AIRFLOW_HOME=${airflowHome}`, 'python', CANARY], {
    input: JSON.stringify(spec),
    timeoutMs: 120_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { connections: Record<string, string>; variables: Record<string, string> };
}

/**
 * What the spec points at outside the output: an external database or
 * broker. The harness runs them under the names the spec gives, with the
 * credentials its references hold (TLS when `sslmode` asks for it).
 */
async function userServices(
  model: Model,
  value: (ref: SecretRef) => string,
  broker: { host: string; password: string } | undefined,
  certificates: RunCertificates,
): Promise<PodPlan[]> {
  const pods: PodPlan[] = [];
  const db = model.database;
  if (db.kind === 'external')
    pods.push(
      await postgresServer(
        'user-database',
        [db.host],
        { user: db.user, password: value(db.password), database: db.name, tls: db.sslmode !== 'disable' },
        certificates,
      ),
    );
  if (broker) pods.push(await redisServer('user-broker', [broker.host], { password: broker.password }));
  return pods;
}

async function createBucket(aws: Record<string, string>, bucket: string): Promise<void> {
  const exists = await awsCli(aws, ['s3api', 'head-bucket', '--bucket', bucket]).then(
    () => true,
    () => false,
  );
  if (!exists) await awsCli(aws, ['s3api', 'create-bucket', '--bucket', bucket, '--create-bucket-configuration', `LocationConstraint=${aws.AWS_REGION}`]);
}

/** The AWS CLI against moto. */
export function awsCli(aws: Record<string, string>, args: string[]): Promise<string> {
  return run('env', ['-i', `PATH=${AWS_CLI_BIN}:/usr/bin:/bin`, ...Object.entries(aws).map(([k, v]) => `${k}=${v}`), 'aws', ...args], { timeoutMs: 60_000 });
}

/**
 * Variables a task must not see (the canary fails if it does): the JWT
 * signing secret, unless the process that runs tasks holds it (the scheduler
 * with LocalExecutor, whose tasks inherit its environment).
 */
export function absentFromTasks(model: Model): string[] {
  const catalogue = airflowCatalogue(model);
  const executor = model.airflow.executor;
  const host =
    executor === 'KubernetesExecutor'
      ? catalogue.taskPod
      : catalogue.components.find((c) => c.role === (executor === 'CeleryExecutor' ? 'worker' : 'scheduler'));
  if (!host) throw new Error(`no process runs tasks with ${executor}`);
  return model.facts.jwtSecretEnv && !host.secrets.includes('jwtSecret') ? [model.facts.jwtSecretEnv] : [];
}
