import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './cli.ts';
import { haveTool } from './tools.ts';

/**
 * Strings that are syntax to some consumer of afc's output: YAML structure
 * and line breaks (tab, `<<`, `=`, U+0085, U+2028, U+2029, C0/C1 controls,
 * a byte-order mark), shell, compose's `$VAR`, Kubernetes' `$(VAR)`,
 * CloudFormation's `${}` and `${!}`, Terraform's `${}` and `%{}`, and text
 * outside the BMP. Each must arrive in the output as the same string.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  'a\tb',
  '\tleading tab',
  '<<',
  '=',
  'x\u0085y',
  'x\u2028y',
  'x\u2029y',
  'x\u007fy\u0080z\u009f',
  'a\rb',
  'a\r\nb',
  'two\nlines\u2028and\tmore\n',
  '\n \n\u0001 space after a line break',
  '\ufeffbom',
  'x\u0000y\u001bz',
  '$HOME ${HOME} $$ $(id) `id` $((1+1))',
  '${AWS::AccountId} ${!Literal} ${Cluster.Arn}',
  '${path.cwd} %{ if true }x%{ endif } $${x} %%{y}',
  'it\'s "quoted" \\ back\\slash',
  '- item',
  '? key',
  '# not a comment',
  '&anchor *alias !tag |literal >folded %directive @at `tick`',
  'key: value',
  '{flow}, [seq]',
  '😀 Ünïcödé',
  '0o17',
  'yes',
  ' padded ',
  '---',
  '...',
];

/** Parses YAML with PyYAML's safe_load (the reader of docker-compose v1 and cloud-init) into JSON-able data. */
export function pyYamlLoad(text: string): unknown {
  const result = spawnSync('python3', ['-c', 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin.buffer.read().decode("utf-8")), sys.stdout)'], {
    input: text,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`PyYAML: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/**
 * The Python that runs cfn-lint: the one its script names (a venv of its
 * own, as .ci/install-tools makes), else python3 (a pyenv shim, or a system
 * install).
 */
function cfnPython(): string {
  const script = spawnSync('sh', ['-c', 'readlink -f "$(command -v cfn-lint)"'], { encoding: 'utf8' }).stdout.trim();
  if (!script) return 'python3';
  return /^#!(\S*python\S*)/.exec(readFileSync(script, 'utf8').split('\n', 1)[0] ?? '')?.[1] ?? 'python3';
}

/** Parses a CloudFormation template as cfn-lint does (its own loader, after CloudFormation's). */
export function cfnYamlLoad(text: string): unknown {
  const code =
    'import sys, json\nfrom cfnlint.decode import cfn_yaml\njson.dump(cfn_yaml.loads(sys.stdin.buffer.read().decode("utf-8")), sys.stdout, default=str)';
  const result = spawnSync(cfnPython(), ['-c', code], { input: text, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cfn-lint's loader: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

export const havePyYaml = (): boolean => haveTool('python3', ['-c', 'import yaml']);
export const haveCfnLoader = (): boolean => haveTool(cfnPython(), ['-c', 'from cfnlint.decode import cfn_yaml']);

let goYaml: string | undefined;

/**
 * Parses a YAML stream as go-yaml v3 does (kustomize's reader, which
 * `kubectl apply -k` runs on the Kubernetes output), with test/support/go-yaml
 * built once per test process (go.sum pins its one module).
 */
export function goYamlLoad(text: string): unknown[] {
  if (!goYaml) {
    const bin = join(mkdtempSync(join(tmpdir(), 'afc-go-yaml-')), 'go-yaml');
    const built = spawnSync('go', ['build', '-o', bin, '.'], {
      cwd: join(REPO, 'test/support/go-yaml'),
      encoding: 'utf8',
      // In Go's module cache once test/runtime/install.sh has built compose-config; else from the module proxy.
      env: { ...process.env, GOFLAGS: '-mod=readonly' },
    });
    if (built.status !== 0) throw new Error(`go build test/support/go-yaml: ${built.stderr}`);
    goYaml = bin;
  }
  const result = spawnSync(goYaml, [], { input: text, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`go-yaml: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown[];
}

export const haveGo = (): boolean => haveTool('go', ['version']);
