import type { HealthCheck } from '../../plan.ts';
import { onlyFields, type Manifest } from './manifests.ts';
import type { WorkloadPod } from './workloads.ts';

/**
 * What KEDA does with a ScaledObject's postgresql trigger, as a check on
 * the first pod of the Deployment it scales: connect with the URL in the
 * variable `connectionFromEnv` of that pod's first container (KEDA reads the
 * scale target's environment) and run `query`, which must give a number.
 * psql (the host's, seen through the overlay) stands for KEDA's pgx driver.
 * The count it would scale to is not acted on (workloads.ts).
 */
export function scalerChecks(manifests: readonly Manifest[], pods: readonly WorkloadPod[]): void {
  for (const scaler of manifests.filter((m) => m.kind === 'ScaledObject')) {
    const spec = scaler.spec ?? {};
    onlyFields(spec, ['scaleTargetRef', 'minReplicaCount', 'maxReplicaCount', 'pollingInterval', 'cooldownPeriod', 'triggers'], `${scaler.source}: spec`);
    const target = spec.scaleTargetRef?.name as string;
    const pod = pods.find((p) => p.owner === `${spec.scaleTargetRef?.kind ?? 'Deployment'}/${target}`);
    if (!pod) throw new Error(`${scaler.source}: scaleTargetRef ${target} is not a workload of the output`);
    for (const [index, trigger] of (spec.triggers ?? []).entries()) {
      const at = `${scaler.source}: spec.triggers[${index}]`;
      if (trigger.type !== 'postgresql') throw new Error(`${at}: a ${trigger.type} trigger; the harness checks postgresql ones`);
      onlyFields(trigger.metadata, ['query', 'targetQueryValue', 'activationTargetQueryValue', 'connectionFromEnv'], `${at}.metadata`);
      const variable = trigger.metadata?.connectionFromEnv as string | undefined;
      if (!variable) throw new Error(`${at}: the harness checks triggers that connect with connectionFromEnv`);
      const container = pod.plan.containers.find((c) => !c.init)!;
      if (container.env[variable] === undefined)
        throw new Error(`${at}: connectionFromEnv ${variable} is not in the environment of ${pod.plan.name}/${container.name}, where KEDA looks for it`);
      const check: HealthCheck = {
        kind: 'exec',
        argv: [
          'sh',
          '-c',
          'value=$(psql -X -A -t -v ON_ERROR_STOP=1 -d "$(printenv "$1")" -c "$2") && printf "%s\\n" "$value" && printf "%s" "$value" | grep -Eq "^-?[0-9]+(\\.[0-9]+)?$"',
          'keda',
          variable,
          String(trigger.metadata.query),
        ],
        timing: { startPeriod: 0, interval: spec.pollingInterval ?? 30, timeout: 10, retries: 3 },
        source: `${at}: KEDA's postgresql query`,
        gatesReadiness: false,
      };
      container.healthChecks.push(check);
    }
  }
}
