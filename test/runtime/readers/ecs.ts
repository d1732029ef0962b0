import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate } from '../../support/cloudformation.ts';
import type { DeploymentPlan, PodPlan } from '../plan.ts';
import { DEFAULT_REGION } from '../translation.ts';
import { EcsAgentEndpoint } from '../platform/ecs-agent.ts';
import { readLoadBalancing } from './ecs/load-balancer.ts';
import { readManagedServices } from './ecs/managed-services.ts';
import { readServices } from './ecs/services.ts';
import { Stack } from './ecs/stack.ts';
import type { ReaderContext } from './index.ts';

/** moto's account: the stack's AWS::AccountId, and the account of every ARN the template builds. */
const ACCOUNT_ID = '123456789012';

/**
 * Reads the ecs target's `stack.yaml` the way CloudFormation creates the
 * stack and ECS runs it (readers/ecs/): the template's functions and dynamic
 * references evaluated (stack.ts), every ECS service's tasks as pods
 * (services.ts, task-definition.ts, with the ECS agent's checks in agent.ts
 * and iam.ts), RDS and ElastiCache as servers under their endpoints' names
 * (managed-services.ts), and the load balancer in front of the UI
 * (load-balancer.ts). The stack is created in the spec's region (the
 * harness's, when it names none), named after the spec, with every parameter
 * at its default.
 */
export async function readEcs(outDir: string, context: ReaderContext): Promise<DeploymentPlan> {
  // Plain data: the parser keeps a tagged list as the YAML library's node, which only serialization turns into an array.
  const template = JSON.parse(JSON.stringify(parseTemplate(readFileSync(join(outDir, 'stack.yaml'), 'utf8')))) as Record<string, unknown>;
  const region = context.model.targets.ecs?.region ?? DEFAULT_REGION;
  const stack = new Stack(
    template,
    { stackName: context.model.name, region, accountId: ACCOUNT_ID, partition: 'aws', urlSuffix: 'amazonaws.com' },
    context.ssm,
  );

  const services = readServices(stack, context.ssm);
  const managed = await readManagedServices(stack, context.certificates);
  const byResource = new Map<string, PodPlan[]>([
    ...[...managed].map(([id, pod]): [string, PodPlan[]] => [id, [pod]]),
    ...services.map((s): [string, PodPlan[]] => [s.id, s.pods]),
  ]);
  orderAsCloudFormation(stack, byResource);
  return {
    pods: [...byResource.values()].flat(),
    ...readLoadBalancing(stack, services),
    services: [new EcsAgentEndpoint(context.hostAddress, region, ACCOUNT_ID, context.model.name)],
  };
}

/**
 * CloudFormation creates a resource once everything it refers to is created:
 * an ECS service whose task definition names the database's endpoint starts
 * its tasks once the database is available (CREATE_COMPLETE), and a service
 * that another resource waits for is complete once its tasks are steady
 * (running, healthy). Between services there is no other order.
 */
function orderAsCloudFormation(stack: Stack, byResource: ReadonlyMap<string, PodPlan[]>): void {
  for (const [id, pods] of byResource) {
    for (const prerequisite of stack.prerequisites(id)) {
      for (const before of byResource.get(prerequisite) ?? []) {
        for (const pod of pods)
          pod.after.push({
            pod: before.name,
            condition: 'healthy',
            source: `stack.yaml: Resources.${id} is created after ${prerequisite}, to which it refers`,
          });
      }
    }
  }
}
