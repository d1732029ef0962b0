import { GetAtt, Join, Ref } from '../../compiler/emit/intrinsic.ts';
import { type CeleryScalingProbes, WORKER_QUEUES_VARIABLE } from '../../compiler/airflow/celery-scaling.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { Resources } from './cfn.ts';

/**
 * Worker autoscaling on ECS, on the work rather than on CPU (sources:
 * docs/airflow-facts.md §10b-§10d):
 *
 * - a sidecar of the scheduler's task publishes, once a minute, how many task
 *   instances are queued or running on the workers' queues (`demand()`) as
 *   one CloudWatch metric in the deployment's own namespace;
 * - a target tracking policy divides it by the worker service's running task
 *   count (Container Insights) in metric math, and keeps that "tasks per
 *   worker" at the worker concurrency: as many workers as the work has slots;
 * - a sidecar of each worker's task sets ECS task scale-in protection while
 *   its worker holds a task (`busy()`) and clears it when the worker is idle,
 *   so scale-in stops idle workers only, never one whose tasks the 120 s
 *   stop timeout would cut off.
 *
 * Both sidecars are not essential: a helper that fails must not stop the
 * scheduler, or a worker with running tasks.
 */

/** The metric's name; its namespace is the deployment's (`metricNamespace`). */
export const DEMAND_METRIC = 'QueuedOrRunningTasks';

/** Seconds between two publications of the metric: CloudWatch's standard resolution, one point a minute. */
const PUBLISH_SECONDS = 60;

/** Seconds between two looks at the worker's tasks: short, since a worker that took a task while unprotected may be chosen for scale-in meanwhile. */
const PROTECTION_CHECK_SECONDS = 5;

/** How long one protection lasts unless renewed (ECS allows 1 to 2880); renewed at half of it while the worker is busy. */
const PROTECTION_MINUTES = 60;

/** A CloudWatch namespace of this deployment alone, which its task role may publish into and nothing else. */
export function metricNamespace(model: Model): string {
  return `Airflow/${model.name}`;
}

/** The Python of the metric publisher: `demand()` then PutMetricData (boto3, in the image with Airflow's Amazon provider), every minute. */
function publisherScript(probes: CeleryScalingProbes): string {
  return `import os, sys, time
import boto3
${probes.demand}
namespace, name, period = os.environ['AFC_METRIC_NAMESPACE'], os.environ['AFC_METRIC_NAME'], int(os.environ['AFC_METRIC_PERIOD'])
cloudwatch = boto3.client('cloudwatch')
last = None
while True:
    try:
        value = demand()
        cloudwatch.put_metric_data(Namespace=namespace, MetricData=[{'MetricName': name, 'Value': value, 'Unit': 'Count'}])
        if value != last:
            print(f'{namespace} {name}: {value}', flush=True)
            last = value
    except Exception as error:
        print(f'{name} not published: {error!r}', file=sys.stderr, flush=True)
    time.sleep(period)
`;
}

/** The Python of the scale-in protection loop: `busy()`, then the ECS agent's task-protection endpoint on each change (and to renew). */
function protectionScript(probes: CeleryScalingProbes): string {
  return `import json, os, sys, time, urllib.request
${probes.busy}
url = os.environ['ECS_AGENT_URI'] + '/task-protection/v1/state'
minutes, period = int(os.environ['AFC_PROTECTION_MINUTES']), int(os.environ['AFC_PROTECTION_PERIOD'])


def protect(enabled):
    body = {'ProtectionEnabled': enabled, **({'ExpiresInMinutes': minutes} if enabled else {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method='PUT', headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
    if answer.get('failure') or answer.get('error'):
        raise RuntimeError(json.dumps(answer))


protected, since = False, 0.0
while True:
    try:
        working = busy()
        if working and (not protected or time.monotonic() - since > minutes * 30):
            protect(True)
            if not protected:
                print('tasks running: protected from scale-in', flush=True)
            protected, since = True, time.monotonic()
        elif protected and not working:
            protect(False)
            protected = False
            print('idle: scale-in protection cleared', flush=True)
    except Exception as error:
        print(f'scale-in protection unchanged: {error!r}', file=sys.stderr, flush=True)
    time.sleep(period)
`;
}

/** The publisher's command and variables (its container takes the database's settings from the caller). */
export function publisher(model: Model, probes: CeleryScalingProbes) {
  return {
    command: ['python', '-c', publisherScript(probes)],
    environment: [
      { Name: 'AFC_METRIC_NAME', Value: DEMAND_METRIC },
      { Name: 'AFC_METRIC_NAMESPACE', Value: metricNamespace(model) },
      { Name: 'AFC_METRIC_PERIOD', Value: String(PUBLISH_SECONDS) },
      { Name: WORKER_QUEUES_VARIABLE, Value: model.components.workers!.queues.join(',') },
      // boto3 finds no region on Fargate otherwise (no instance metadata).
      { Name: 'AWS_DEFAULT_REGION', Value: Ref('AWS::Region') },
    ],
  };
}

/** The protection loop's command and variables (its container takes the broker's settings from the caller). */
export function protection(probes: CeleryScalingProbes) {
  return {
    command: ['python', '-c', protectionScript(probes)],
    environment: [
      { Name: 'AFC_PROTECTION_MINUTES', Value: String(PROTECTION_MINUTES) },
      { Name: 'AFC_PROTECTION_PERIOD', Value: String(PROTECTION_CHECK_SECONDS) },
    ],
  };
}

/**
 * The worker service's scalable target and its target tracking policy on
 * tasks per worker: the published demand over Container Insights'
 * `RunningTaskCount` of the service, at the worker concurrency. A service
 * with no running worker has no such ratio (no data, so no scaling): the
 * minimum is at least 1 (index.ts warns, AFC3511).
 */
export function workerAutoscaling(model: Model, id: string, bounds: { min: number; max: number }, concurrency: number): Resources {
  return {
    [`${id}ScalableTarget`]: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: Join('/', ['service', Ref('Cluster'), GetAtt(`${id}Service`, 'Name')]),
        MinCapacity: Math.max(bounds.min, 1),
        MaxCapacity: bounds.max,
      },
    },
    [`${id}ScalingPolicy`]: {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: {
        PolicyName: `${model.name}-${id.toLowerCase()}-tasks-per-worker`,
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: Ref(`${id}ScalableTarget`),
        TargetTrackingScalingPolicyConfiguration: {
          CustomizedMetricSpecification: {
            Metrics: [
              {
                Id: 'tasks',
                Label: 'Task instances queued or running on the workers’ queues',
                MetricStat: { Metric: { Namespace: metricNamespace(model), MetricName: DEMAND_METRIC }, Stat: 'Average' },
                ReturnData: false,
              },
              {
                Id: 'workers',
                Label: 'Running worker tasks',
                MetricStat: {
                  Metric: {
                    Namespace: 'ECS/ContainerInsights',
                    MetricName: 'RunningTaskCount',
                    Dimensions: [
                      { Name: 'ClusterName', Value: Ref('Cluster') },
                      { Name: 'ServiceName', Value: GetAtt(`${id}Service`, 'Name') },
                    ],
                  },
                  Stat: 'Average',
                },
                ReturnData: false,
              },
              { Id: 'perWorker', Label: 'Queued or running tasks per worker', Expression: 'tasks / workers', ReturnData: true },
            ],
          },
          TargetValue: concurrency,
          ScaleInCooldown: 300,
          ScaleOutCooldown: 60,
        },
      },
    },
  };
}
