import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { firstTool } from './tools.ts';

type Body = Record<string, unknown>;
/** A Terraform file as hcl2json reads it: `{ resource: { type: { name: [body] } }, data: …, … }`. */
export type ParsedHcl = Record<string, Record<string, Record<string, Body[]>> | unknown>;

export function parseHcl(file: string): Promise<ParsedHcl> {
  return parse(file, readFileSync(file, 'utf8')) as Promise<ParsedHcl>;
}

let terraform: string | undefined | null = null;
/**
 * `terraform`, or OpenTofu's `tofu` where terraform is not installed: .ci/run
 * builds tofu then, terraform's own downloads being out of reach, and its fmt
 * writes the same bytes (checked on out/'s Terraform with tofu 1.12.6 against
 * terraform 1.11.4). Undefined without either.
 */
export function terraformCommand(): string | undefined {
  if (terraform === null) terraform = firstTool(['terraform', ['version']], ['tofu', ['version']]);
  return terraform;
}

/**
 * Runs terraform (or tofu) without a CLI configuration: the machine's
 * TF_CLI_CONFIG_FILE may name a file that is not there, which tofu reports on
 * stdout, in the middle of what `fmt -` writes.
 */
export function runTerraform(args: readonly string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync(terraformCommand() ?? 'terraform', args, { input, encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
}

/** `terraform fmt -check` (or `tofu fmt -check`) over folders; returns the files it would rewrite. */
export function terraformFmtCheck(dirs: readonly string[]): { status: number | null; unformatted: string[]; stderr: string } {
  const result = runTerraform(['fmt', '-check', '-list=true', '-recursive', ...dirs]);
  return { status: result.status, unformatted: result.stdout.split('\n').filter(Boolean), stderr: result.stderr };
}

/**
 * The AWS provider's argument lists, read from @cdktf/provider-aws (generated
 * from the provider's own schema). The package is large, so it is not a
 * dependency: .ci/run installs it; elsewhere the check skips.
 */
export function awsProviderLib(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@cdktf/provider-aws/package.json')), 'lib');
  } catch {
    if (process.env.AFC_REQUIRE_TOOLS === '1')
      throw new Error('@cdktf/provider-aws is required (AFC_REQUIRE_TOOLS=1) but is not installed; .ci/run installs it');
    return undefined;
  }
}

/** The provider version the package was generated from (`6.25.0`). */
export function awsProviderVersion(lib: string): string {
  return /providerVersion: '([^']+)'/.exec(readFileSync(join(lib, 'provider', 'index.js'), 'utf8'))![1]!;
}

const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);

/** Keys of the object literal that the `return {` at `start` opens in generated code, with the function that converts each nested block. */
function returnedKeys(source: string, start: number): Map<string, string | undefined> {
  const keys = new Map<string, string | undefined>();
  for (const line of source.slice(source.indexOf('return {', start)).split('\n').slice(1)) {
    if (line.trim() === '};') break;
    const match = /^\s+([a-z0-9_]+): (.*)$/.exec(line);
    if (match) keys.set(match[1]!, /\b(\w+ToTerraform)\b/.exec(match[2]!)?.[1]);
  }
  return keys;
}

/**
 * Problems with a block's arguments: names the provider does not have, in
 * the block itself and in its nested blocks. `kind` is `resource` or `data`.
 */
export function argumentProblems(lib: string, kind: 'resource' | 'data', type: string, body: Body): string[] {
  const name = type.replace(/^aws_/, '').replace(/_/g, '-');
  const folder = kind === 'data' ? `data-aws-${name}` : name;
  const file = join(lib, folder, 'index.js');
  if (!existsSync(file)) return [`${kind} ${type}: no such type in the AWS provider`];
  const source = readFileSync(file, 'utf8');
  if (!source.includes(`tfResourceType = "${type}"`)) return [`${kind} ${type}: ${folder} is not that type`];
  const top = returnedKeys(source, source.indexOf('synthesizeAttributes() {'));
  const problems: string[] = [];
  const check = (where: string, keys: Map<string, string | undefined>, value: Body, meta: boolean) => {
    for (const [key, child] of Object.entries(value)) {
      if (meta && META_ARGUMENTS.has(key)) continue;
      if (!keys.has(key)) {
        problems.push(`${where}: no argument ${key}`);
        continue;
      }
      const converter = keys.get(key);
      if (!converter || !Array.isArray(child)) continue;
      const nested = returnedKeys(source, source.indexOf(`function ${converter}(struct) {`));
      for (const item of child) if (item && typeof item === 'object' && !Array.isArray(item)) check(`${where}.${key}`, nested, item as Body, false);
    }
  };
  check(`${kind} ${type}`, top, body, true);
  return problems;
}

/** Every resource and data source of a parsed file, with its body. */
export function blocksOf(parsed: ParsedHcl): { kind: 'resource' | 'data'; type: string; name: string; body: Body }[] {
  const out: { kind: 'resource' | 'data'; type: string; name: string; body: Body }[] = [];
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, named] of Object.entries((parsed[kind] ?? {}) as Record<string, Record<string, Body[]>>)) {
      for (const [name, bodies] of Object.entries(named)) for (const body of bodies) out.push({ kind, type, name, body });
    }
  }
  return out;
}
