import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AFC_BIN, REPO } from '../support/cli.ts';
import { MINIMAL } from '../support/spec.ts';
import { haveTool, skipReason } from '../support/tools.ts';

const hasPreCommit = haveTool('pre-commit');

/**
 * Runs the hook this repository publishes (.pre-commit-hooks.yaml) with a
 * real pre-commit, through `try-repo`, on a throwaway git repository holding
 * one good and one bad spec.
 */
describe.skipIf(!hasPreCommit)(`pre-commit hook afc-validate${hasPreCommit ? '' : ` (skipped: ${skipReason('pre-commit')})`}`, () => {
  it('passes a good spec and fails a bad one with file:line:col', () => {
    const work = mkdtempSync(join(tmpdir(), 'afc-pre-commit-'));
    // `afc` on PATH, as `npm install -g afc` would put it.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'afc'), `#!/bin/sh\nexec "${process.execPath}" "${AFC_BIN}" "$@"\n`);
    chmodSync(join(bin, 'afc'), 0o755);
    const project = join(work, 'project');
    mkdirSync(join(project, 'good'), { recursive: true });
    mkdirSync(join(project, 'bad'), { recursive: true });
    writeFileSync(join(project, 'good/airflow.yaml'), MINIMAL);
    writeFileSync(join(project, 'bad/airflow.yaml'), MINIMAL.replace('name: analytics', 'nmae: analytics'));
    writeFileSync(join(project, 'notes.yaml'), 'not: a spec\n');
    const env = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      PRE_COMMIT_HOME: join(work, 'cache'),
      GIT_AUTHOR_NAME: 'afc test',
      GIT_AUTHOR_EMAIL: 'test@afc.invalid',
      GIT_COMMITTER_NAME: 'afc test',
      GIT_COMMITTER_EMAIL: 'test@afc.invalid',
    };
    const git = (...args: string[]) => spawnSync('git', args, { cwd: project, env, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    const run = (...files: string[]) =>
      spawnSync('pre-commit', ['try-repo', REPO, 'afc-validate', '--files', ...files], { cwd: project, env, encoding: 'utf8' });

    const good = run('good/airflow.yaml', 'notes.yaml');
    expect(good.status, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toMatch(/afc validate\.+Passed/);

    const bad = run('good/airflow.yaml', 'bad/airflow.yaml', 'notes.yaml');
    expect(bad.status, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/afc validate\.+Failed/);
    expect(bad.stdout).toContain('bad/airflow.yaml:1:1: error AFC1002: missing required key "name" at the top level');
    expect(bad.stdout).toContain('bad/airflow.yaml:2:1: error AFC1001: unknown key "nmae" at the top level');
    expect(bad.stdout).not.toContain('notes.yaml:');
  });
});
