import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './support/cli.ts';

/**
 * A plugin author's project, as one would set it up: afc installed from its
 * package tarball (npm pack, so only what `files` and `exports` publish), a
 * TypeScript target written only against afc/target, its tests written with
 * afc/testing. The project compiles with tsc in strict mode, its tests pass
 * under node --test, and afc's CLI builds a spec with the compiled plugin.
 */
describe('a plugin written against afc/target and tested with afc/testing', () => {
  let project: string;
  const run = (command: string, args: string[]) => spawnSync(command, args, { cwd: project, encoding: 'utf8', timeout: 60_000 });

  beforeAll(() => {
    const temp = mkdtempSync(join(tmpdir(), 'afc-plugin-author-'));
    // dist/ is built by the test setup; --ignore-scripts packs it as it is.
    const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', temp], { cwd: REPO, encoding: 'utf8' }).trim();
    project = join(temp, 'project');
    cpSync(join(REPO, 'test/fixtures/plugin-author'), project, { recursive: true });
    const afc = join(project, 'node_modules/afc');
    mkdirSync(afc, { recursive: true });
    execFileSync('tar', ['-xzf', join(temp, tarball), '-C', afc, '--strip-components=1']);
    // afc's dependencies and the project's tools, as npm would install them (without the network).
    const pkg = JSON.parse(readFileSync(join(afc, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of [...Object.keys(pkg.dependencies), 'typescript', '@types/node']) {
      mkdirSync(join(project, 'node_modules', name, '..'), { recursive: true });
      symlinkSync(join(REPO, 'node_modules', name), join(project, 'node_modules', name));
    }
    writeFileSync(join(project, 'airflow.yaml'), readFileSync(join(REPO, 'test/fixtures/plugin-author/airflow.yaml')));
  }, 120_000);

  it('type-checks and compiles against the published declarations', () => {
    const tsc = run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    expect(readdirSync(join(project, 'dist')).sort()).toEqual(['index.js', 'index.test.js']);
  });

  it('passes its own tests, written with afc/testing', () => {
    const test = run(process.execPath, ['--test', 'dist/']);
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/# pass 3\n/);
    expect(test.stdout).toMatch(/# fail 0\n/);
  });

  it('builds with the afc CLI of the same package', () => {
    const build = run(process.execPath, [
      'node_modules/afc/bin/afc.cjs',
      'build',
      'airflow.yaml',
      '--plugin',
      './dist/index.js',
      '--target',
      'nomad',
      '--offline',
    ]);
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const job = JSON.parse(readFileSync(join(project, 'out/analytics/nomad/airflow.nomad.json'), 'utf8')).Job;
    expect(job.TaskGroups.map((g: { Name: string }) => g.Name)).toEqual(['api-server', 'scheduler', 'dag-processor', 'triggerer']);
    expect(job.Datacenters).toEqual(['eu']);
  });
});
