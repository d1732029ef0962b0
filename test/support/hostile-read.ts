import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCompose } from '../runtime/readers/compose.ts';
import { type AttachedPolicy, decide, rolePolicies } from '../runtime/readers/ecs/iam.ts';
import { readServices } from '../runtime/readers/ecs/services.ts';
import { Stack } from '../runtime/readers/ecs/stack.ts';
import { cfnYamlLoad, goYamlLoad, pyYamlLoad } from './hostile.ts';
import { runTerraform } from './terraform.ts';

/** Every object of a Kubernetes output folder (but the kustomization), as go-yaml (kustomize's reader) reads them. */
export function kubernetesObjects<T>(outDir: string): T[] {
  return readdirSync(outDir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => goYamlLoad(readFileSync(join(outDir, f), 'utf8'))) as T[];
}

/**
 * The ecs output's stack.yaml read with cfn-lint's loader and evaluated as
 * CloudFormation would (the runtime harness's Stack) in a fixed account and
 * region, every SSM parameter it names answering `ssm-value`: each container's
 * environment, and the policies of the task roles.
 */
export function ecsStack(outDir: string): { env: [string, string][]; taskPolicies: AttachedPolicy[] } {
  const template = cfnYamlLoad(readFileSync(join(outDir, 'stack.yaml'), 'utf8')) as never;
  const place = { stackName: 'data-platform', region: 'eu-west-1', accountId: '123456789012', partition: 'aws', urlSuffix: 'amazonaws.com' };
  const ssm = new (class extends Map<string, string> {
    override get = (): string => 'ssm-value';
    override has = (): boolean => true;
  })();
  const stack = new Stack(template, place, ssm);
  const containers = readServices(stack, ssm).flatMap((s) => s.pods.flatMap((p) => p.containers));
  const taskPolicies = stack.ofType('AWS::ECS::TaskDefinition').flatMap((id) => rolePolicies(stack, stack.property(id, 'TaskRoleArn'), `Resources.${id}`));
  return { env: containers.flatMap((c) => Object.entries(c.env)), taskPolicies };
}

/**
 * The S3 ARNs of the ec2 output's main.tf (`arn:${partition}:s3:::…`) and its
 * `s3:prefix` condition lists, as `terraform console` evaluates the strings
 * (the partition given as `aws` first): an IAM policy allowing every ARN, and
 * each condition's list of prefixes.
 */
export function ec2S3Access(outDir: string): { policies: AttachedPolicy[]; prefixes: string[][]; allowed: (action: string, arn: string) => boolean } {
  const tf = readFileSync(join(outDir, 'main.tf'), 'utf8');
  const literals = [...tf.matchAll(/"arn:\$\{data\.aws_partition\.current\.partition\}:s3:::(?:[^"\\]|\\.)*"/g)].map((m) =>
    m[0].replace('${data.aws_partition.current.partition}', 'aws'),
  );
  const prefixes = [...tf.matchAll(/variable\s*=\s*"s3:prefix"\s*\n\s*values\s*=\s*(\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\])/g)].map((m) =>
    m[1]!.replace(/\n/g, ' '),
  );
  const consoleDir = mkdtempSync(join(tmpdir(), 'afc-tf-console-'));
  const evaluated = runTerraform([`-chdir=${consoleDir}`, 'console'], `base64encode(jsonencode([[${literals.join(', ')}], [${prefixes.join(', ')}]]))\n`);
  if (evaluated.status !== 0) throw new Error(`terraform console: ${evaluated.stderr}`);
  const [resources, conditions] = JSON.parse(Buffer.from(JSON.parse(evaluated.stdout.trim()) as string, 'base64').toString('utf8')) as [string[], string[][]];
  const policies = [{ source: 'main.tf', statements: [{ Effect: 'Allow', Action: '*', Resource: resources }] }];
  return { policies, prefixes: conditions, allowed: (action, arn) => decide(policies, action, arn).allowed };
}

/** The compose file cloud-init writes on the ec2 host, read by Compose (readCompose) with empty `.env` and env files. */
export async function ec2Compose(outDir: string): ReturnType<typeof readCompose> {
  const cloudInit = pyYamlLoad(readFileSync(join(outDir, 'cloud-init.yaml'), 'utf8')) as { write_files: { path: string; content: string }[] };
  const compose = cloudInit.write_files.find((f) => f.path.endsWith('/docker-compose.yaml'))!.content;
  const bundle = mkdtempSync(join(tmpdir(), 'afc-ec2-bundle-'));
  writeFileSync(join(bundle, 'docker-compose.yaml'), compose);
  writeFileSync(join(bundle, '.env'), '');
  for (const [, file] of compose.matchAll(/- (secrets\/[\w.-]+\.env)/g)) {
    mkdirSync(join(bundle, 'secrets'), { recursive: true });
    writeFileSync(join(bundle, file!), '');
  }
  return readCompose(bundle);
}
