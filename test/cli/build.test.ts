import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afc, copyExample } from '../support/cli.ts';

/** A copy of examples/local, built into out/local/compose, to change freely. */
function localCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'afc-build-cli-'));
  copyExample('local', join(dir, 'examples/local'));
  const built = afc(['build', 'examples/local/airflow.yaml', '--target', 'compose', '-o', 'out/local/compose'], { cwd: dir });
  expect(built.status, built.stderr).toBe(0);
  return dir;
}

const args = ['examples/local/airflow.yaml', '--target', 'compose', '-o', 'out/local/compose'];

describe('afc build and afc diff', () => {
  it('writes the bundle and reports what it wrote', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afc-build-cli-'));
    copyExample('local', join(dir, 'examples/local'));
    const result = afc(['build', 'examples/local/airflow.yaml', '--target', 'compose'], { cwd: dir });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe('wrote examples/local/out/analytics/compose: 10 files (6 with secret values, mode 0600, git-ignored)\n');
  });

  it('--check passes on a current output and fails, naming the file, after a one-line change', () => {
    const dir = localCopy();
    expect(afc(['build', ...args, '--check'], { cwd: dir })).toMatchObject({ status: 0, stdout: 'out/local/compose is current\n' });
    const spec = join(dir, 'examples/local/airflow.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('env_name: local', 'env_name: laptop'));
    const stale = afc(['build', ...args, '--check'], { cwd: dir });
    expect(stale.status).toBe(1);
    expect(stale.stdout).toBe('out/local/compose is not current (run `afc build` and commit the result):\n  changed docker-compose.yaml\n');
  });

  it('diff shows a readable change, and a secret file only by size', () => {
    const dir = localCopy();
    expect(afc(['diff', ...args], { cwd: dir })).toMatchObject({ status: 0, stdout: '' });
    const spec = join(dir, 'examples/local/airflow.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('env_name: local', 'env_name: laptop'));
    const newKey = 'rotated-api-secret-key-0123456789abcdef0123456789';
    const oldKey = readFileSync(join(dir, 'examples/local/secrets/api_secret_key'), 'utf8').trim();
    writeFileSync(join(dir, 'examples/local/secrets/api_secret_key'), `${newKey}\n`);
    const diff = afc(['diff', ...args], { cwd: dir });
    expect(diff.status).toBe(1);
    expect(diff.stdout).toContain('--- a/out/local/compose/docker-compose.yaml\n+++ b/out/local/compose/docker-compose.yaml\n');
    expect(diff.stdout).toContain('-      AIRFLOW_VAR_ENV_NAME: local\n+      AIRFLOW_VAR_ENV_NAME: laptop\n');
    expect(diff.stdout).toMatch(
      /--- a\/out\/local\/compose\/secrets\/airflow-apiserver\.env\n\+\+\+ b\/out\/local\/compose\/secrets\/airflow-apiserver\.env\n@@ -1,1 \+1,1 @@\n-<redacted: \d+ bytes>\n\+<redacted: \d+ bytes>\n/,
    );
    expect(diff.stdout + diff.stderr).not.toContain(newKey);
    expect(diff.stdout + diff.stderr).not.toContain(oldKey);
  });

  it('diff never shows a secret file that a build no longer writes', () => {
    const dir = localCopy();
    const spec = join(dir, 'examples/local/airflow.yaml');
    const original = readFileSync(spec, 'utf8');
    const key = 'PRIVATE-KEY-MATERIAL-0123456789abcdef';
    writeFileSync(join(dir, 'examples/local/secrets/git_key'), `${key}\n`);
    writeFileSync(
      spec,
      original.replace(
        'dags:\n  path: ./dags',
        'dags:\n  git: { repo: "git@github.com:acme/dags.git", sshKey: { file: ./secrets/git_key }, knownHosts: "github.com ssh-ed25519 AAAA" }',
      ),
    );
    expect(afc(['build', ...args], { cwd: dir }).status).toBe(0);
    writeFileSync(spec, original);
    const diff = afc(['diff', ...args], { cwd: dir });
    expect(diff.status).toBe(1);
    expect(diff.stdout).toMatch(/--- a\/out\/local\/compose\/git-ssh-key\n\+\+\+ \/dev\/null\n@@ -1,1 \+0,0 @@\n-<redacted: \d+ bytes>\n/);
    expect(diff.stdout + diff.stderr).not.toContain(key);
  });

  it('--stdout prints the files with secret ones redacted, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afc-build-cli-'));
    copyExample('local', join(dir, 'examples/local'));
    const result = afc(['build', 'examples/local/airflow.yaml', '--target', 'compose', '--stdout'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/# ==> secrets\/airflow-apiserver\.env <==\n<redacted: \d+ bytes>\n/);
    expect(result.stdout).toContain('# ==> docker-compose.yaml <==\n');
    expect(result.stdout).not.toContain(readFileSync(join(dir, 'examples/local/secrets/fernet_key'), 'utf8').trim());
    expect(afc(['build', 'examples/local/airflow.yaml', '--target', 'compose', '--check'], { cwd: dir }).stdout).toContain('added   docker-compose.yaml');
  });

  it('refuses an output folder it cannot replace whole, and a path it cannot write, with one line each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afc-build-cli-'));
    copyExample('local', join(dir, 'examples/local'));
    writeFileSync(join(dir, 'afile'), 'x\n');
    const build = (out: string) => afc(['build', 'examples/local/airflow.yaml', '--target', 'compose', '-o', out], { cwd: dir });
    expect(build('afile')).toMatchObject({
      status: 2,
      stderr: 'afc: error: afile is a file, not a folder\n  hint: choose a folder of its own with -o, such as out/<name>/<target>\n',
    });
    expect(build('afile/x')).toMatchObject({ status: 2, stderr: 'afc: error: cannot write afile/x: a part of the path is a file, not a folder\n' });
    expect(build('.').stderr).toContain('afc: error: the output folder . is the current folder or holds it');
    expect(build('examples').stderr).toContain('afc: error: the output folder examples holds the spec');
    expect(readdirSync(dir).sort()).toEqual(['afile', 'examples']);
  });

  it('never treats a manifest line outside the folder as its own, and keeps foreign empty folders', () => {
    const dir = localCopy();
    const out = join(dir, 'out/local/compose');
    writeFileSync(join(out, '.afc-manifest'), `${readFileSync(join(out, '.afc-manifest'), 'utf8')}../../../examples/local/secrets/fernet_key\n/etc/passwd\n`);
    mkdirSync(join(out, 'notes'));
    const diff = afc(['diff', ...args], { cwd: dir });
    // Only the edited manifest differs; what its stray lines name is neither shown nor touched.
    expect(diff.stdout.match(/^\+\+\+ .*$/gm)).toEqual(['+++ b/out/local/compose/.afc-manifest']);
    expect(diff.stdout).not.toContain(readFileSync(join(dir, 'examples/local/secrets/fernet_key'), 'utf8').trim());
    expect(diff.stdout).not.toContain('root:');
    expect(afc(['build', ...args], { cwd: dir }).status).toBe(0);
    expect(existsSync(join(out, 'notes'))).toBe(true);
    expect(existsSync(join(dir, 'examples/local/secrets/fernet_key'))).toBe(true);
  });

  it('needs a target and one spec, exit 2', () => {
    expect(afc(['build', 'examples/local/airflow.yaml']).status).toBe(2);
    expect(afc(['build', '--target', 'compose']).stderr).toContain('takes one spec file');
    expect(afc(['build', 'examples/local/airflow.yaml', '--target', 'compse']).stderr).toContain('did you mean --target compose?');
  });

  it('reads a { file: } secret outside the spec folder only from a folder --secret-files-from allows, and never /proc', () => {
    const dir = localCopy();
    const spec = join(dir, 'examples/local/airflow.yaml');
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys/jwt'), 'jwt-secret-kept-outside-the-spec-folder-0123\n');
    const original = readFileSync(spec, 'utf8');
    writeFileSync(spec, original.replace('jwtSecret: { file: ./secrets/jwt_secret }', 'jwtSecret: { file: ../../keys/jwt }'));
    const refused = afc(['build', ...args], { cwd: dir });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('error AFC4003: cannot read secret file ../../keys/jwt:');
    expect(refused.stderr).toContain('--secret-files-from DIR');
    expect(afc(['build', ...args, '--secret-files-from', 'keys'], { cwd: dir }).status).toBe(0);
    writeFileSync(spec, original.replace('jwtSecret: { file: ./secrets/jwt_secret }', 'jwtSecret: { file: /proc/self/environ }'));
    const proc = afc(['build', ...args, '--secret-files-from', '/'], { cwd: dir });
    expect(proc.status).toBe(2);
    expect(proc.stderr).toMatch(/error AFC4003: cannot read secret file \/proc\/self\/environ: \/proc\/\d+\/environ is under \/proc/);
  });

  it('refuses to replace a file it did not write, naming it, unless --force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afc-build-cli-'));
    copyExample('local', join(dir, 'examples/local'));
    mkdirSync(join(dir, 'out/local/compose'), { recursive: true });
    writeFileSync(join(dir, 'out/local/compose/docker-compose.yaml'), 'hand-written\n');
    writeFileSync(join(dir, 'out/local/compose/.env'), 'MINE=1\n');
    const refused = afc(['build', ...args], { cwd: dir });
    expect(refused).toMatchObject({
      status: 2,
      stderr:
        'afc: error: out/local/compose holds files afc did not write, which this build would replace: .env, docker-compose.yaml\n' +
        '  hint: move them away, choose another folder with -o, or pass --force to replace them\n',
    });
    expect(readdirSync(join(dir, 'out/local/compose')).sort()).toEqual(['.env', 'docker-compose.yaml']);
    expect(readFileSync(join(dir, 'out/local/compose/docker-compose.yaml'), 'utf8')).toBe('hand-written\n');
    expect(afc(['build', ...args, '--force'], { cwd: dir }).status).toBe(0);
    expect(readFileSync(join(dir, 'out/local/compose/docker-compose.yaml'), 'utf8')).not.toBe('hand-written\n');
    expect(afc(['build', ...args], { cwd: dir }).status).toBe(0);
  });
});
