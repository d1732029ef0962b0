import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, describe, expect, it } from 'vitest';
import { buildOutput } from '../../compiler/build/build.ts';
import { TargetRegistry } from '../../compiler/targets/registry.ts';
import { writeOutput } from '../../compiler/write/write-output.ts';
import { composeSchemaErrors, dockerComposeConfig } from '../support/compose-validators.ts';
import { haveTool, skipReason } from '../support/tools.ts';
import { kustomizeBuild, manifestProblem, manifests } from '../support/kubernetes-validators.ts';
import { cfnLint } from '../support/cloudformation.ts';
import { compareOutput } from '../../compiler/write/compare-output.ts';
import { buildExample, EXAMPLE_OUTPUTS } from '../../scripts/examples.ts';
import { afc, copyExample, REPO } from '../support/cli.ts';
import { cloudInitSchema } from '../support/cloud-init.ts';
import { argumentProblems, awsProviderLib, blocksOf, parseHcl, terraformCommand, terraformFmtCheck } from '../support/terraform.ts';

describe('committed output under out/', () => {
  it.each(EXAMPLE_OUTPUTS)('out/$example/$target is current (run `npm run examples`)', async ({ example, target }) => {
    const { outDir, result } = await buildExample(example, target);
    expect(result.diagnostics).toEqual([]);
    assert(result.ok);
    expect(compareOutput(outDir, result.files)).toEqual([]);
  });

  const composeOutputs = EXAMPLE_OUTPUTS.filter((o) => o.target === 'compose').map((o) => o.example);
  const hasDockerCompose = haveTool('docker-compose', ['version']);

  /** The example built in a copy of its folder, with its .env, as `npx afc build` writes it. */
  async function builtCopy(example: string): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'afc-example-'));
    copyExample(example, dir);
    const target = (await new TargetRegistry().get('compose'))!;
    const result = await buildOutput({ file: join(dir, 'airflow.yaml'), target, outDir: join(dir, 'out') });
    assert(result.ok, result.diagnostics.map((d) => d.message).join('; '));
    writeOutput(join(dir, 'out'), result.files);
    return join(dir, 'out');
  }

  it.each(composeOutputs)('examples/%s builds a compose file the compose schema accepts', async (example) => {
    expect(composeSchemaErrors(readFileSync(join(await builtCopy(example), 'docker-compose.yaml'), 'utf8'))).toEqual([]);
  });

  it.skipIf(!hasDockerCompose).each(composeOutputs)(
    `examples/%s builds a bundle docker-compose config -q accepts${hasDockerCompose ? '' : ` (skipped: ${skipReason('docker-compose')})`}`,
    async (example) => {
      const config = dockerComposeConfig(await builtCopy(example));
      expect(config.status, config.output).toBe(0);
    },
  );

  const kustomize = kustomizeBuild();
  const eksOutputs = EXAMPLE_OUTPUTS.filter((o) => o.target === 'eks').map((o) => o.example);

  it.each(eksOutputs)('out/%s/eks: every manifest passes kubernetes-models', (example) => {
    const dir = join(REPO, 'out', example, 'eks');
    const objects = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .flatMap((f) => manifests(readFileSync(join(dir, f), 'utf8')));
    expect(objects.length).toBeGreaterThan(10);
    expect(objects.map(manifestProblem).filter(Boolean)).toEqual([]);
  });

  it.skipIf(!kustomize).each(eksOutputs)(
    `out/%s/eks builds with kubectl kustomize${kustomize ? '' : ` (skipped: ${skipReason('kubectl or kustomize')})`}`,
    (example) => {
      const result = kustomize!(join(REPO, 'out', example, 'eks'));
      expect(result.status, result.stderr).toBe(0);
    },
  );

  const hasCfnLint = haveTool('cfn-lint');
  const ecsOutputs = EXAMPLE_OUTPUTS.filter((o) => o.target === 'ecs').map((o) => join(REPO, 'out', o.example, 'ecs', 'stack.yaml'));
  it.skipIf(!hasCfnLint)(
    `the committed CloudFormation passes cfn-lint with no error or warning${hasCfnLint ? '' : ` (skipped: ${skipReason('cfn-lint')})`}`,
    () => {
      expect(ecsOutputs.length).toBeGreaterThan(0);
      expect(Object.values(cfnLint(ecsOutputs)).flat()).toEqual([]);
    },
  );

  const ec2Outputs = EXAMPLE_OUTPUTS.filter((o) => o.target === 'ec2').map((o) => join(REPO, 'out', o.example, 'ec2'));
  const hasTerraform = terraformCommand() !== undefined;
  const hasCloudInit = haveTool('cloud-init', ['--version']);
  const providerLib = awsProviderLib();

  it.skipIf(!hasTerraform)(
    `the committed Terraform is as terraform fmt writes it${hasTerraform ? '' : ` (skipped: ${skipReason('terraform or tofu')})`}`,
    () => {
      expect(ec2Outputs.length).toBeGreaterThan(0);
      expect(terraformFmtCheck(ec2Outputs)).toMatchObject({ status: 0, unformatted: [] });
    },
  );

  it.skipIf(!providerLib)(
    `the committed Terraform names only resources and arguments the AWS provider has${providerLib ? '' : ` (skipped: ${skipReason('@cdktf/provider-aws')})`}`,
    async () => {
      for (const dir of ec2Outputs) {
        const blocks = blocksOf(await parseHcl(join(dir, 'main.tf')));
        expect(blocks.length).toBeGreaterThan(15);
        expect(blocks.flatMap((b) => argumentProblems(providerLib!, b.kind, b.type, b.body))).toEqual([]);
      }
    },
  );

  it.skipIf(!hasCloudInit)(`the committed cloud-config passes cloud-init schema${hasCloudInit ? '' : ` (skipped: ${skipReason('cloud-init')})`}`, () => {
    for (const dir of ec2Outputs) expect(cloudInitSchema(join(dir, 'cloud-init.yaml'))).toMatchObject({ status: 0 });
  });

  it('pulls every image afc picks itself from a registry without an anonymous pull limit', () => {
    // The spec's own Airflow image is the user's choice; sidecars, Postgres and Redis are afc's.
    const picked = EXAMPLE_OUTPUTS.flatMap(({ example, target }) => {
      const dir = join(REPO, 'out', example, target);
      const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
      return files.flatMap((f) => [...readFileSync(join(f.parentPath, f.name), 'utf8').matchAll(/\b[Ii]mage: (?:!Sub )?['"]?([^\s'"]+)/g)].map((m) => m[1]!));
    }).filter((image) => !/(^|\/)[^/]*airflow[^/]*:/.test(image));
    expect(picked.length).toBeGreaterThan(10);
    expect([...new Set(picked)].filter((image) => !/^(public\.ecr\.aws|registry\.k8s\.io)\//.test(image))).toEqual([]);
  });

  it('afc build --check agrees, as CI and reviewers run it', () => {
    for (const { example, target } of EXAMPLE_OUTPUTS) {
      expect(afc(['build', `examples/${example}/airflow.yaml`, '--target', target, '-o', `out/${example}/${target}`, '--check', '--offline'])).toMatchObject({
        status: 0,
        stdout: `out/${example}/${target} is current\n`,
      });
    }
  });
});
