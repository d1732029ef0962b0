import type { DeploymentPlan, PlatformCheck } from '../../plan.ts';
import { TemplateError } from './intrinsics.ts';
import type { ServiceTasks } from './services.ts';
import type { Stack } from './stack.ts';

/**
 * The Application Load Balancer as users and ECS see it: the UI is what a
 * listener forwards to (the first task of the service registered in that
 * target group, at its container port: the balancer reaches the task's
 * address), and each target group's health check runs against every
 * registered task as the balancer runs it (HealthCheckPath, HealthCheckPort,
 * Matcher; ALB defaults where absent).
 */
export function readLoadBalancing(stack: Stack, services: readonly ServiceTasks[]): Pick<DeploymentPlan, 'ui' | 'platformChecks'> {
  const [rule] = stack.ofType('AWS::ElasticLoadBalancingV2::ListenerRule');
  if (rule) throw new TemplateError(`stack.yaml: Resources.${rule}: the runtime harness follows listeners' default actions only`);
  const forwarded: string[] = [];
  for (const listener of stack.ofType('AWS::ElasticLoadBalancingV2::Listener')) {
    const where = `stack.yaml: Resources.${listener}`;
    const balancer = stack.find('AWS::ElasticLoadBalancingV2::LoadBalancer', stack.property(listener, 'LoadBalancerArn'));
    if (!balancer) throw new TemplateError(`${where}: LoadBalancerArn is not one of the stack's load balancers`);
    if ((stack.property(balancer, 'Type') ?? 'application') !== 'application')
      throw new TemplateError(`stack.yaml: Resources.${balancer}: the runtime harness stands in for Application Load Balancers`);
    for (const action of (stack.property(listener, 'DefaultActions') ?? []) as {
      Type: string;
      TargetGroupArn?: string;
      ForwardConfig?: { TargetGroups: { TargetGroupArn: string }[] };
    }[]) {
      if (action.Type === 'forward')
        forwarded.push(...(action.TargetGroupArn ? [action.TargetGroupArn] : (action.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn)));
      else if (action.Type !== 'redirect' && action.Type !== 'fixed-response')
        throw new TemplateError(`${where}: action ${action.Type}: the runtime harness forwards, redirects and answers fixed responses only`);
    }
  }

  const platformChecks: PlatformCheck[] = [];
  let ui: DeploymentPlan['ui'] | undefined;
  for (const targetGroupArn of [...new Set(forwarded)]) {
    const group = stack.find('AWS::ElasticLoadBalancingV2::TargetGroup', targetGroupArn);
    if (!group) throw new TemplateError(`stack.yaml: a listener forwards to ${targetGroupArn}, which is not one of the stack's target groups`);
    const where = `stack.yaml: Resources.${group}`;
    const prop = (name: string) => stack.property(group, name);
    if (prop('TargetType') !== 'ip')
      throw new TemplateError(`${where}: TargetType ${String(prop('TargetType') ?? 'instance')}: awsvpc tasks register as ip targets`);
    const registered = services.flatMap((s) => s.loadBalancers.filter((lb) => lb.targetGroupArn === targetGroupArn).map((lb) => ({ service: s, ...lb })));
    for (const target of registered) {
      ui ??= { pod: target.service.pods[0]?.name ?? fail(`${where}: service ${target.service.name} runs no task`), port: target.port };
      if (prop('HealthCheckEnabled') === false) continue;
      const protocol = prop('HealthCheckProtocol') ?? prop('Protocol') ?? 'HTTP';
      if (protocol !== 'HTTP') throw new TemplateError(`${where}: health check protocol ${String(protocol)}: the harness checks over HTTP`);
      const port = prop('HealthCheckPort');
      for (const pod of target.service.pods) {
        platformChecks.push({
          source: `${where}: health check`,
          pod: pod.name,
          port: port === undefined || port === 'traffic-port' ? target.port : Number(port),
          path: String(prop('HealthCheckPath') ?? '/'),
          expect: matcher((prop('Matcher') as { HttpCode?: string; GrpcCode?: string } | undefined) ?? { HttpCode: '200' }, where),
        });
      }
    }
  }
  if (!ui) throw new TemplateError('stack.yaml: no listener forwards to a target group that an ECS service registers its tasks in: users cannot reach the UI');
  return { ui, platformChecks };
}

/** An ALB matcher: `200`, `200,202`, `200-299`. */
function matcher(value: { HttpCode?: string; GrpcCode?: string }, where: string): (status: number) => boolean {
  if (value.HttpCode === undefined) throw new TemplateError(`${where}: Matcher ${JSON.stringify(value)}: the harness matches HTTP codes`);
  const ranges = String(value.HttpCode)
    .split(',')
    .map((part) => part.trim().split('-').map(Number) as [number, number?]);
  if (ranges.some(([low, high]) => !Number.isInteger(low) || (high !== undefined && !Number.isInteger(high))))
    throw new TemplateError(`${where}: Matcher.HttpCode ${value.HttpCode}`);
  return (status) => ranges.some(([low, high]) => status >= low && status <= (high ?? low));
}

function fail(message: string): never {
  throw new TemplateError(message);
}
