import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afc, REPO } from '../support/cli.ts';
import { MINIMAL } from '../support/spec.ts';

function tempSpecs(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'afc-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const BAD = MINIMAL.replace('version: "3.1.3"', 'version: "3.1.3"\n  executor: CeleryExecuter');

describe('afc', () => {
  it('prints its version and help', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(afc(['--version'])).toMatchObject({ status: 0, stdout: `${pkg.version}\n` });
    const help = afc(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['validate', 'init', 'schema', 'targets']) {
      expect(help.stdout).toContain(command);
      const commandHelp = afc([command, '--help']);
      expect(commandHelp.status).toBe(0);
      expect(commandHelp.stdout).toMatch(new RegExp(`^Usage: afc ${command}`));
    }
  });

  it('suggests the command and the option meant, exit 2, no stack trace', () => {
    const command = afc(['valdate']);
    expect(command).toMatchObject({ status: 2, stdout: '' });
    expect(command.stderr).toBe('afc: error: unknown command "valdate"\n  hint: did you mean `afc validate`?\n');
    const option = afc(['validate', '--fromat', 'json', 'x.yaml']);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain('did you mean --format?');
    expect(afc(['validate', '--format', 'jsn', 'x.yaml']).stderr).toContain('did you mean json?');
  });
});

describe('afc validate', () => {
  it('exits 0 for valid specs, 1 when any is invalid, and reports each with file:line:col and a code frame', () => {
    const dir = tempSpecs({ 'good/airflow.yaml': MINIMAL, 'bad/airflow.yaml': BAD });
    expect(afc(['validate', 'good/airflow.yaml'], { cwd: dir })).toMatchObject({ status: 0, stdout: '1 file checked: 0 errors, 0 warnings\n' });
    const result = afc(['validate', 'good/airflow.yaml', 'bad/airflow.yaml'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      [
        'bad/airflow.yaml:5:13: error AFC1004: airflow.executor must be one of LocalExecutor, CeleryExecutor, KubernetesExecutor; found "CeleryExecuter"',
        '  4 |   version: "3.1.3"',
        '> 5 |   executor: CeleryExecuter',
        '    |             ^^^^^^^^^^^^^^',
        '  6 | secrets:',
        '  hint: did you mean "CeleryExecutor"?',
        '2 files checked: 1 error, 0 warnings',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 for a file that cannot be read, and validates ./airflow.yaml by default', () => {
    const dir = tempSpecs({ 'airflow.yaml': MINIMAL });
    const missing = afc(['validate', 'nope.yaml'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stdout).toContain('nope.yaml:1:1: error AFC0001: cannot read nope.yaml: no such file');
    expect(afc(['validate'], { cwd: dir }).status).toBe(0);
    expect(afc(['validate'], { cwd: tmpdir() }).status).toBe(2);
  });

  it('writes JSON and GitHub annotations for machines', () => {
    const dir = tempSpecs({ 'airflow.yaml': BAD });
    const json = afc(['validate', '--format', 'json', 'airflow.yaml'], { cwd: dir });
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      diagnostics: [
        {
          code: 'AFC1004',
          severity: 'error',
          message: expect.stringContaining('airflow.executor must be one of'),
          file: 'airflow.yaml',
          line: 5,
          column: 13,
          endColumn: 27,
          hint: 'did you mean "CeleryExecutor"?',
        },
      ],
      summary: { errors: 1, warnings: 0 },
    });
    const github = afc(['validate', '--format', 'github', 'airflow.yaml'], { cwd: dir });
    expect(github.stdout).toBe(
      '::error file=airflow.yaml,line=5,col=13,endColumn=27,title=AFC1004::airflow.executor must be one of LocalExecutor, CeleryExecutor, KubernetesExecutor; found "CeleryExecuter"%0Adid you mean "CeleryExecutor"?\n',
    );
  });

  it("names the available targets for an unknown one, and runs a plugin target's rules", () => {
    const dir = tempSpecs({
      'airflow.yaml': MINIMAL,
      'celery.yaml': `${MINIMAL.replace('"3.1.3"', '"3.1.3"\n  executor: CeleryExecutor')}broker: { managed: {} }\n`,
    });
    const unknown = afc(['validate', '--target', 'ec3', 'airflow.yaml'], { cwd: dir });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('afc: error: unknown target "ec3"; available: compose, ec2, ecs, eks, kubernetes\n  hint: did you mean --target ec2?\n');
    const plugin = join(REPO, 'test/fixtures/plugin-target.mjs');
    const typo = afc(['validate', '--plugin', plugin, '--target', 'nomd', 'airflow.yaml'], { cwd: dir });
    expect(typo.stderr).toContain('unknown target "nomd"; available: compose, ec2, ecs, eks, kubernetes, nomad');
    expect(typo.stderr).toContain('did you mean --target nomad?');
    const accepted = afc(['validate', '--plugin', plugin, '--target', 'nomad', 'airflow.yaml'], { cwd: dir });
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toContain('airflow.yaml:1:1: warning AFC3901: nomad places the job in datacenter "dc1"');
    const rejected = afc(['validate', '--plugin', plugin, '--target', 'nomad', 'celery.yaml'], { cwd: dir });
    expect(rejected.status).toBe(1);
    expect(rejected.stdout).toContain('celery.yaml:5:13: error AFC2022: nomad cannot run CeleryExecutor: this plugin starts no broker');
    expect(rejected.stdout).toContain('hint: nomad runs LocalExecutor');
  });

  it('rejects a plugin that is not a target, exit 2', () => {
    const result = afc(['targets', '--plugin', join(REPO, 'test/fixtures/not-a-target.mjs')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('does not export a target');
    expect(afc(['targets', '--plugin', './missing-plugin.js']).stderr).toContain('cannot load plugin ./missing-plugin.js');
  });

  it('checks one environment with --env, and suggests a misspelled one', () => {
    const dir = tempSpecs({ 'airflow.yaml': `${MINIMAL}environments:\n  prod:\n    components: { scheduler: { replicas: 2 } }\n` });
    expect(afc(['validate', '--env', 'prod', 'airflow.yaml'], { cwd: dir }).status).toBe(0);
    const typo = afc(['validate', '--env', 'prd', 'airflow.yaml'], { cwd: dir });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('did you mean --env prod?');
  });
});

describe('afc targets, schema, init', () => {
  it('lists targets, with plugins', () => {
    const builtIn = [
      'compose     docker-compose for a laptop or a single host',
      'ec2         Terraform for one EC2 host running the compose bundle',
      'ecs         one CloudFormation template for ECS (Fargate or EC2)',
      'eks         Kubernetes manifests for EKS (ALB ingress, IRSA, External Secrets)',
      'kubernetes  Kubernetes manifests for any cluster',
    ];
    expect(afc(['targets'])).toMatchObject({ status: 0, stdout: `${builtIn.join('\n')}\n` });
    expect(afc(['targets', '--plugin', join(REPO, 'test/fixtures/plugin-target.mjs')]).stdout).toBe(
      `${builtIn.join('\n')}\nnomad       HashiCorp Nomad job files (test plugin) (plugin)\n`,
    );
  });

  it('prints the schema', () => {
    const result = afc(['schema']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync(join(REPO, 'schema/airflow.schema.json'), 'utf8')));
  });

  it('writes a starter spec that validates, with a working schema link, and never overwrites', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afc-init-'));
    const target = join(dir, 'My Project');
    const init = afc(['init', target]);
    expect(init.status).toBe(0);
    const text = readFileSync(join(target, 'airflow.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=(.+)\n/);
    const schemaPath = /\$schema=(.+)\n/.exec(text)![1]!;
    expect(JSON.parse(readFileSync(join(target, schemaPath), 'utf8')).$id).toBe('https://afc.dev/schema/airflow/v1.json');
    expect(text).toContain('name: my-project');
    expect(afc(['validate', join(target, 'airflow.yaml')])).toMatchObject({ status: 0, stdout: '1 file checked: 0 errors, 0 warnings\n' });
    const again = afc(['init', target]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(afc(['init', target, '--force', '--name', 'etl']).status).toBe(0);
    expect(readFileSync(join(target, 'airflow.yaml'), 'utf8')).toContain('name: etl');
  });
});
