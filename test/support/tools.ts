import { spawnSync } from 'node:child_process';

/**
 * Whether an external tool is on this machine. Tests that need one skip
 * without it, with the reason shown, unless AFC_REQUIRE_TOOLS=1 (set by
 * .ci/run), where a missing tool fails the run.
 */
export function haveTool(command: string, versionArgs: string[] = ['--version']): boolean {
  return firstTool([command, versionArgs]) !== undefined;
}

/**
 * The first of commands that do the same job (terraform or OpenTofu's tofu)
 * that is on this machine, each tried with the arguments that print its
 * version; undefined without any, as haveTool() is false.
 */
export function firstTool(...alternatives: [command: string, versionArgs: string[]][]): string | undefined {
  const found = alternatives.find(([command, versionArgs]) => spawnSync(command, versionArgs, { stdio: 'ignore' }).status === 0)?.[0];
  if (!found && process.env.AFC_REQUIRE_TOOLS === '1') {
    throw new Error(`${alternatives.map(([command]) => command).join(' or ')} is required (AFC_REQUIRE_TOOLS=1) but is not installed; .ci/run installs it`);
  }
  return found;
}

export function skipReason(command: string): string {
  return `${command} is not installed (install it, or see .ci/run)`;
}
