import { parseAirflowVersion } from '../../normalize/airflow-version.ts';
import type { Rule } from '../rule-context.ts';

export const uniqueQueues: Rule = ({ spec, report }) => {
  const queues = spec.components?.workers?.queues ?? [];
  const seen = new Map<string, number>();
  queues.forEach((queue, index) => {
    const first = seen.get(queue);
    if (first === undefined) seen.set(queue, index);
    else
      report(
        'error',
        'AFC2009',
        ['components', 'workers', 'queues', index],
        `queue "${queue}" is listed twice (items ${first + 1} and ${index + 1})`,
        'remove the duplicate',
        'value',
      );
  });
};

export const autoscalingBounds: Rule = ({ spec, report }) => {
  const workers = spec.components?.workers;
  const scaling = workers?.autoscaling;
  if (!workers || !scaling) return;
  const min = scaling.min ?? 1;
  if (min > scaling.max) {
    report(
      'error',
      'AFC2014',
      ['components', 'workers', 'autoscaling', 'min'],
      `autoscaling min (${min}) is above max (${scaling.max})`,
      'min must be at most max',
      'value',
    );
    return;
  }
  const replicas = workers.replicas;
  if (replicas !== undefined && (replicas < min || replicas > scaling.max)) {
    report(
      'warning',
      'AFC2014',
      ['components', 'workers', 'replicas'],
      `workers.replicas (${replicas}) is outside the autoscaling bounds ${min}–${scaling.max}; the autoscaler will move it into them`,
      undefined,
      'value',
    );
  }
};

export const dagProcessorOnAirflow3: Rule = ({ spec, report }) => {
  const major = parseAirflowVersion(spec.airflow.version)?.major;
  if (major !== undefined && major >= 3 && spec.components?.dagProcessor?.replicas === 0) {
    report(
      'error',
      'AFC2015',
      ['components', 'dagProcessor', 'replicas'],
      'Airflow 3 parses DAGs only in the standalone DAG processor; it cannot be turned off',
      'remove replicas: 0 (the default is 1)',
      'value',
    );
  }
};
