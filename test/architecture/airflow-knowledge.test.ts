import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every file under `dir` whose name ends with one of `extensions`, relative to the repository. */
function filesUnder(dir: string, extensions: string[]): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => extensions.some((e) => f.endsWith(e)))
    .map((f) => join(dir, f))
    .sort();
}

/** A word of a command line, as prose or shell text (`db migrate`) or as elements of an argv array (`'db', 'migrate'`). */
const then = (a: string, b: string) => new RegExp(`\\b${a}(?:\\s+|['"\`]\\s*,\\s*['"\`])${b}\\b`);

/**
 * What only compiler/airflow/ may know: Airflow's commands, ports, health
 * paths, version branches and the facts of its image (its user, the paths
 * inside it). Each pattern comes with a line it must catch,
 * so that none of them can pass by matching nothing.
 */
const KNOWLEDGE: { what: string; pattern: RegExp; catches: string; readsFacts?: boolean }[] = [
  { what: 'the migration', pattern: then('db', 'migrate'), catches: `lines.push('airflow db migrate')` },
  { what: 'the migration (argv)', pattern: then('db', 'migrate'), catches: `args: ['db', 'migrate']` },
  { what: 'the wait for migrations', pattern: /check-migrations|migration-wait-timeout/, catches: `['db', 'check-migrations', '--migration-wait-timeout=60']` },
  { what: 'the admin user', pattern: then('users', 'create'), catches: `['users', 'create', '--role', 'Admin']` },
  { what: 'a jobs check', pattern: then('jobs', 'check'), catches: 'airflow jobs check --job-type TriggererJob --local' },
  { what: 'a Celery worker', pattern: then('celery', 'worker'), catches: `['celery', 'worker', '--queues', q]` },
  { what: 'Flower', pattern: then('celery', 'flower'), catches: `command: ['airflow', 'celery', 'flower']` },
  { what: "Celery's ping", pattern: then('inspect', 'ping'), catches: 'celery --app x inspect ping -d "celery@$(hostname)"' },
  {
    what: 'a component as a command (argv)',
    pattern: /\[\s*(['"`])(?:airflow\1\s*,\s*\1)?(?:api-server|webserver|scheduler|dag-processor|triggerer|celery|db|users|jobs)\1/,
    catches: `command: ['airflow', 'dag-processor']`,
  },
  {
    what: 'a component as a command (text)',
    pattern: /\bairflow (?:api-server|webserver|scheduler|dag-processor|triggerer|celery|db|users|jobs)\b/,
    catches: 'exec airflow triggerer',
  },
  { what: "an Airflow port (the UI's, the log servers', the scheduler's health, Flower's)", pattern: /\b(?:8080|8793|8794|8974|5555)\b/, catches: '?? 8080' },
  { what: 'a health path', pattern: /\/health\b|\/api\/v[12]\b/, catches: "path: '/api/v2/monitor/health'" },
  { what: 'a version branch', pattern: /\bfacts\.major\b|\bmajor\s*(?:[<>]=?|[!=]==?)/, catches: 'model.facts.major >= 3 ? a : b', readsFacts: true },
  { what: 'the command line of entrypoint arguments (airflowArgv)', pattern: /(['"`])airflow\1\s*,\s*\.\.\./, catches: `args: ['airflow', ...args],` },
  {
    what: 'an Airflow configuration variable (airflowSettings sets them)',
    pattern: /\bAIRFLOW__[A-Z0-9_]+__[A-Z0-9_]+/,
    catches: `{ name: 'AIRFLOW__KUBERNETES_EXECUTOR__NAMESPACE', parts: [ns] }`,
  },
  { what: "the image's user (uid 50000)", pattern: /\b50000\b/, catches: 'runAsUser: 50000,' },
  { what: 'a path in the image (AIRFLOW_HOME /opt/airflow)', pattern: /\/opt\/airflow\b/, catches: "export const DAGS_PATH = '/opt/airflow/dags';" },
  {
    what: 'a fact the catalogue turns into commands and checks',
    pattern: /\bfacts\.(?:jobTypes|celeryApp|schedulerHealthPort|logServerPorts|web\.command|web\.healthPath|web\.alivePath)\b/,
    catches: 'model.facts.web.healthPath',
    readsFacts: true,
  },
];

/**
 * Lines that match a pattern without being the knowledge it stands for. Each
 * must still match (and be needed).
 */
const ALLOWED: { file: string; line: string; why: string }[] = [
  {
    file: join('compiler', 'cli', 'commands', 'init.ts'),
    line: 'config:                   # airflow.cfg overrides → AIRFLOW__SECTION__KEY',
    why: 'the starter spec tells how a config override becomes a variable',
  },
  {
    file: join('targets', 'ec2', 'settings.ts'),
    line: "bundleDir: '/opt/airflow',",
    why: "the host's folder of the compose bundle, named like the image's AIRFLOW_HOME but not it",
  },
];

describe('Airflow knowledge lives in compiler/airflow/', () => {
  it.each(KNOWLEDGE)('the pattern for $what catches what it is for', ({ pattern, catches }) => {
    expect(catches).toMatch(pattern);
  });

  // The plugin example is held to the rules of a target.
  const files = [...filesUnder('targets', ['.ts', '.hbs']), ...filesUnder('test/fixtures/plugin-author/src', ['.ts']).filter((f) => !f.endsWith('.test.ts'))];
  const compiler = filesUnder('compiler', ['.ts']).filter((f) => !f.startsWith(join('compiler', 'airflow')));

  it('reads every target', () => {
    const targets = new Set(files.map((f) => relative('targets', f).split(/[\\/]/)[0]));
    expect([...targets]).toEqual(expect.arrayContaining(['compose', 'ec2', 'ecs', 'kubernetes']));
    expect(files).toContain(join('targets', 'compose', 'airflow-services.ts'));
  });

  it('no target, and nothing else in compiler/, writes an Airflow command, port, health path or version branch of its own', () => {
    expect(compiler).toContain(join('compiler', 'normalize', 'normalize.ts'));
    const found: string[] = [];
    for (const file of [...files, ...compiler]) {
      // The rest of compiler/ may read the version facts (validation rules are version-aware by design); targets may not.
      const patterns = file.startsWith('targets') ? KNOWLEDGE : KNOWLEDGE.filter((k) => !k.readsFacts);
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (ALLOWED.some((a) => a.file === file && a.line === line.trim())) return;
        for (const { what, pattern } of patterns) if (pattern.test(line)) found.push(`${file}:${i + 1}: ${what}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });

  it.each(ALLOWED)('$file may write `$line`: $why', ({ file, line }) => {
    const lines = readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(lines).toContain(line);
    expect(KNOWLEDGE.some((k) => k.pattern.test(line))).toBe(true);
  });
});
