// Start-up benchmark: median wall time of `afc validate` (and other commands)
// against bare `node -e 0`, runs interleaved so machine noise hits both alike.
// Usage: npm run bench [-- --runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 30;
const afc = join(root, 'bin/afc.cjs');

// A spec without airflow.config: validate never reads Airflow's configuration tables for it.
const bare = join(mkdtempSync(join(tmpdir(), 'afc-bench-')), 'airflow.yaml');
writeFileSync(
  bare,
  'apiVersion: afc/v1\nname: bench\nairflow: { version: "3.1.3" }\nsecrets:\n  fernetKey: { ssm: /b/f }\n  apiSecretKey: { ssm: /b/a }\n  jwtSecret: { ssm: /b/j }\n',
);

const cases = [
  { name: 'node -e 0', args: ['-e', '0'], budget: undefined },
  { name: 'afc --version', args: [afc, '--version'], budget: undefined },
  // examples/local sets airflow.config options: validate reads the tables of its version.
  { name: 'afc validate examples/local', args: [afc, 'validate', join(root, 'examples/local/airflow.yaml')], budget: 1.5 },
  { name: 'afc validate (no airflow.config)', args: [afc, 'validate', bare], budget: 1.5 },
  {
    name: 'afc validate (4 examples)',
    args: [afc, 'validate', ...['local', 'ec2-host', 'eks-rds', 'ecs-celery'].map((e) => join(root, `examples/${e}/airflow.yaml`))],
    budget: undefined,
  },
  {
    name: 'afc build local --target compose',
    args: [afc, 'build', join(root, 'examples/local/airflow.yaml'), '--target', 'compose', '-o', join(mkdtempSync(join(tmpdir(), 'afc-bench-')), 'out')],
    budget: 2.5,
  },
  {
    name: 'afc build ec2-host --target ec2',
    args: [
      afc,
      'build',
      join(root, 'examples/ec2-host/airflow.yaml'),
      '--target',
      'ec2',
      '--offline',
      '-o',
      join(mkdtempSync(join(tmpdir(), 'afc-bench-')), 'out'),
    ],
    budget: 2.5,
  },
];

function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

for (const c of cases) time(c.args); // warm the file cache
const samples = cases.map(() => []);
for (let i = 0; i < runs; i++) {
  for (const [k, c] of cases.entries()) samples[k].push(time(c.args));
}

const floor = median(samples[0]);
let failed = false;
console.log(`start-up, median of ${runs} runs (node ${process.version}):`);
cases.forEach((c, k) => {
  const m = median(samples[k]);
  const ratio = m / floor;
  const verdict = c.budget === undefined ? '' : ratio <= c.budget ? `  within ${c.budget}x budget` : `  OVER ${c.budget}x budget`;
  if (c.budget !== undefined && ratio > c.budget) failed = true;
  console.log(`  ${c.name.padEnd(30)} ${m.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}x${verdict}`);
});
process.exitCode = failed ? 1 : 0;
