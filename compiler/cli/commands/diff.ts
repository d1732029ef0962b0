import { relative } from 'node:path';
import { diffOutput } from '../../write/compare-output.ts';
import { failureCode, runBuild } from '../build-options.ts';

export const usage = `Usage: afc diff <spec> --target NAME [options]

Prints a unified diff between the output folder on disk and what \`afc build\`
would write. Secret values are never shown: a secret file that changes
appears as <redacted: N bytes>.

Options:
  -t, --target NAME    target (\`afc targets\` lists them)
  -e, --env NAME       merge this environment's overlay first
  -o, --out DIR        output folder (default: out/<name>/<target> beside the spec)
  -f, --format FORMAT  diagnostics as text, json or github
  -p, --plugin MODULE  load a target from a file or package (repeatable)
  -h, --help           show this help

Exit codes: 0 no difference, 1 different (or invalid spec), 2 usage or environment error.
`;

export async function run(argv: string[]): Promise<number> {
  const { result } = await runBuild('diff', argv, {});
  const failed = failureCode(result.diagnostics);
  if (failed !== undefined || !result.files || !result.outDir) return failed ?? 1;
  const patch = diffOutput(result.outDir, result.files, relative(process.cwd(), result.outDir) || '.');
  process.stdout.write(patch);
  return patch ? 1 : 0;
}
