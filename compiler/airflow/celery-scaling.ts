import type { Model } from '../normalize/model.ts';
import { DATABASE_CONFIG, type SecretConsumer } from './components.ts';

/**
 * What a platform needs to scale a Celery worker pool on its work rather
 * than on CPU, as Python function definitions (text) that a platform's loop
 * calls: Airflow's side only, with no platform in them. Both read their
 * inputs from the environment, so no spec value is ever Python syntax.
 * Sources: docs/airflow-facts.md §10c.
 */
export interface CeleryScalingProbes {
  /**
   * `def demand() -> int`: the task instances that occupy or wait for a
   * worker slot of this pool: state `queued` (the scheduler handed them to
   * Celery) or `running`, on one of the pool's queues (comma-separated in
   * `$AFC_WORKER_QUEUES`). Needs the metadata database's settings.
   */
  demand: string;
  /**
   * `def busy() -> bool`: this worker (`celery@<host name>`, Celery's default
   * node name, which every container of the task shares) holds a task, running
   * or reserved (prefetched). Needs the broker's settings. Raises when the
   * worker does not answer, so a caller keeps its last decision.
   */
  busy: string;
  /**
   * What a process running each probe gets of the secrets and settings
   * (docs/airflow-facts.md §7f): `demand` the metadata database only;
   * `busy` Airflow's Celery app, which reads the broker and the result
   * backend (a database URL), and no connection, variable or key.
   */
  needs: { demand: SecretConsumer; busy: SecretConsumer };
}

export const WORKER_QUEUES_VARIABLE = 'AFC_WORKER_QUEUES';

/** The probes for this model's Airflow; undefined without Celery workers. */
export function celeryScalingProbes(model: Model): CeleryScalingProbes | undefined {
  if (model.airflow.executor !== 'CeleryExecutor' || !model.components.workers) return undefined;
  const app = model.facts.celeryApp;
  const dot = app.lastIndexOf('.');
  return {
    needs: { demand: { secrets: ['database'], config: DATABASE_CONFIG }, busy: { secrets: ['broker', 'database'], config: 'all' } },
    demand: `def demand():
    import os
    from sqlalchemy import func, select
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from airflow.utils.state import TaskInstanceState
    queues = [q for q in os.environ['${WORKER_QUEUES_VARIABLE}'].split(',') if q]
    with create_session() as session:
        return session.scalar(
            select(func.count())
            .select_from(TaskInstance)
            .where(TaskInstance.state.in_([TaskInstanceState.QUEUED, TaskInstanceState.RUNNING]), TaskInstance.queue.in_(queues))
        )
`,
    busy: `def busy():
    import socket
    from ${app.slice(0, dot)} import ${app.slice(dot + 1) === 'app' ? 'app' : `${app.slice(dot + 1)} as app`}
    node = 'celery@' + socket.gethostname()
    inspect = app.control.inspect(destination=[node], timeout=5)
    replies = [inspect.active(), inspect.reserved()]
    if any(reply is None or node not in reply for reply in replies):
        raise RuntimeError(node + ' did not answer')
    return any(reply[node] for reply in replies)
`,
  };
}
