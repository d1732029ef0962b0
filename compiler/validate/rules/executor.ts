import type { Rule } from '../rule-context.ts';

const executorOf = (spec: Parameters<Rule>[0]['spec']) => spec.airflow.executor ?? 'LocalExecutor';

export const brokerMatchesExecutor: Rule = ({ spec, report }) => {
  const executor = executorOf(spec);
  if (executor === 'CeleryExecutor' && !spec.broker) {
    report(
      'error',
      'AFC2002',
      ['airflow', 'executor'],
      'CeleryExecutor needs a broker',
      'add `broker: { managed: {} }`, or `broker: { external: { url: { ssm: /path } } }`',
      'value',
    );
  }
  if (executor !== 'CeleryExecutor' && spec.broker) {
    report(
      'error',
      'AFC2003',
      ['broker'],
      `a broker is only used by CeleryExecutor, and the executor is ${executor}`,
      'remove `broker`, or set `airflow.executor: CeleryExecutor`',
    );
  }
};

/** Workers and Flower exist only with Celery; sizing them otherwise is a sign of a mistaken executor. */
export const celeryComponentsNeedCelery: Rule = ({ spec, report }) => {
  const executor = executorOf(spec);
  if (executor === 'CeleryExecutor') return;
  if (spec.components?.workers) {
    report(
      'warning',
      'AFC2013',
      ['components', 'workers'],
      `components.workers is ignored: ${executor} runs no Celery workers`,
      executor === 'KubernetesExecutor' ? 'task pods are sized in the pod template, not here' : 'tasks run inside the scheduler with LocalExecutor',
    );
  }
  if (spec.components?.flower?.enabled) {
    report(
      'error',
      'AFC2013',
      ['components', 'flower', 'enabled'],
      `Flower monitors Celery, and the executor is ${executor}`,
      'remove components.flower, or use CeleryExecutor',
      'value',
    );
  }
};
