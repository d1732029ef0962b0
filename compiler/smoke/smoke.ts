import { ApiError, UnreachableError, type AirflowApi, type DagRun } from './airflow-api.ts';

/** One line of `afc smoke`'s report. */
export interface SmokeCheck {
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
}

export interface SmokeRequest {
  api: AirflowApi;
  /** The spec's admin user, password resolved; without one the login and everything after it are skipped. */
  admin?: { username: string; password: string };
  /** A DAG to trigger and wait for, with the run's `conf`. */
  dag?: { id: string; conf?: Record<string, unknown> };
  /** For the whole smoke test, in ms. */
  timeoutMs: number;
  /** How often to ask again while waiting, in ms. */
  pollMs?: number;
  /** Told each check as it completes (the CLI prints it). */
  report?: (check: SmokeCheck) => void;
  /** Called while the run is running (and once more when it ended), for checks of a caller's own. */
  whileRunning?: (run: DagRun) => Promise<void>;
}

export interface SmokeResult {
  checks: SmokeCheck[];
  /** The UI never answered: `afc smoke` exits 2. */
  unreachable: boolean;
  /** The triggered run, when there was one. */
  run?: DagRun;
}

/**
 * What a user checks after a deployment, in order: the health endpoint says
 * every component that runs is healthy; the admin user logs in; a DAG runs to
 * success; its tasks' logs can be read through the API. A check that cannot
 * run because an earlier one failed is reported as skipped.
 */
export async function smoke(request: SmokeRequest): Promise<SmokeResult> {
  const deadline = Date.now() + request.timeoutMs;
  const poll = request.pollMs ?? 3_000;
  const checks: SmokeCheck[] = [];
  const add = (name: string, status: SmokeCheck['status'], detail: string) => {
    const check = { name, status, detail };
    checks.push(check);
    request.report?.(check);
    return status === 'ok';
  };
  const skipRest = (from: string[], why: string) => {
    for (const name of from) add(name, 'skipped', why);
  };
  const { api } = request;

  api.deadline = deadline;
  // health: until every component that runs is healthy, or the deadline. A server that is
  // not there yet, or answers 5xx, is asked again; any other answer will not change.
  let last = '';
  let reached = false;
  for (;;) {
    try {
      const health = await api.health();
      reached = true;
      const running = Object.entries(health).filter(([, status]) => status !== null);
      last = running.map(([name, status]) => `${name} ${status}`).join(', ');
      if (running.length > 0 && running.every(([, status]) => status === 'healthy')) break;
    } catch (error) {
      if (!(error instanceof UnreachableError) && !(error instanceof ApiError)) throw error;
      last = error.message;
      if (error instanceof ApiError && error.status < 500) {
        add('health', 'failed', `${error.message} (is ${api.baseUrl} the UI's URL, with its path prefix?)`);
        skipRest(['login', ...(request.dag ? ['dag', 'log'] : [])], 'the health check failed');
        return { checks, unreachable: false };
      }
      reached ||= error instanceof ApiError;
    }
    if (Date.now() + poll > deadline) {
      add('health', 'failed', `${reached ? 'not healthy' : 'unreachable'} after ${seconds(request.timeoutMs)}: ${last}`);
      skipRest(['login', ...(request.dag ? ['dag', 'log'] : [])], 'the health check failed');
      return { checks, unreachable: !reached };
    }
    await sleep(poll);
  }
  add('health', 'ok', last);

  if (!request.admin) {
    skipRest(['login', ...(request.dag ? ['dag', 'log'] : [])], 'the spec has no secrets.adminUser');
    return { checks, unreachable: false };
  }
  try {
    await api.login(request.admin.username, request.admin.password);
    add('login', 'ok', `${request.admin.username} logged in`);
  } catch (error) {
    if (!(error instanceof ApiError || error instanceof UnreachableError)) throw error;
    add('login', 'failed', `${request.admin.username}: ${error.message}`);
    skipRest(request.dag ? ['dag', 'log'] : [], 'the login failed');
    return { checks, unreachable: false };
  }
  if (!request.dag) return { checks, unreachable: false };

  const dagId = request.dag.id;
  // While waiting, a slow or briefly unreachable server is asked again, until the deadline.
  const patiently = async <T>(call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        const transient = error instanceof UnreachableError || (error instanceof ApiError && error.status >= 500);
        if (!transient || Date.now() + poll > deadline) throw error;
        await sleep(poll);
      }
    }
  };
  let run: DagRun;
  try {
    while (!(await patiently(() => api.dagExists(dagId)))) {
      if (Date.now() + poll > deadline)
        throw new ApiError(404, `DAG ${dagId} did not appear within ${seconds(request.timeoutMs)} (is it in the DAG folder, and does it parse?)`);
      await sleep(poll);
    }
    await api.unpause(dagId);
    run = await api.trigger(dagId, request.dag.conf ?? {});
    const started = Date.now();
    while (run.state !== 'success' && run.state !== 'failed') {
      if (Date.now() + poll > deadline) throw new ApiError(0, `run ${run.runId} still ${run.state} after ${seconds(Date.now() - started)}`);
      if (run.state === 'running') await request.whileRunning?.(run);
      await sleep(poll);
      const runId = run.runId;
      run = await patiently(() => api.dagRun(dagId, runId));
    }
    await request.whileRunning?.(run);
    const detail = `${dagId} run ${run.runId} ${run.state} in ${seconds(Date.now() - started)}`;
    if (run.state === 'success') add('dag', 'ok', detail);
    else add('dag', 'failed', `${detail}${await taskStates(api, dagId, run)}`);
  } catch (error) {
    if (!(error instanceof ApiError || error instanceof UnreachableError)) throw error;
    add('dag', 'failed', `${dagId}: ${error.message}`);
    skipRest(['log'], 'no DAG run');
    return { checks, unreachable: false };
  }

  try {
    // Tasks that ran: a skipped or upstream-failed task has no try, and no log to read.
    const tasks = (await api.taskInstances(dagId, run.runId)).filter((t) => t.tryNumber >= 1 && ['success', 'failed', 'up_for_retry'].includes(t.state ?? ''));
    const read = () =>
      Promise.all(tasks.map(async (t) => ({ task: t, lines: taskOutput(await api.taskLog(dagId, run.runId, t.taskId, t.tryNumber, t.mapIndex)) })));
    // A remote log is uploaded after the task has reported its state: until then the log may hold no line of the task's.
    // (A failed run has failed already; its log is read once, for the reader.)
    let logs = await read();
    const until = run.state === 'success' ? Math.min(deadline, Date.now() + LOG_UPLOAD_WAIT_MS) : 0;
    while (logs.some((l) => l.lines === 0) && Date.now() + poll <= until) {
      await sleep(poll);
      logs = await read();
    }
    const empty = logs.filter((l) => l.lines === 0);
    if (tasks.length === 0) add('log', 'failed', `no task of run ${run.runId} ran`);
    else if (empty.length) add('log', 'failed', `no line of the task's own in the log of ${empty.map((l) => l.task.taskId).join(', ')}`);
    else
      add(
        'log',
        'ok',
        logs.map((l) => `${l.task.taskId}${l.task.mapIndex >= 0 ? `[${l.task.mapIndex}]` : ''} try ${l.task.tryNumber}: ${l.lines} lines`).join(', '),
      );
  } catch (error) {
    if (!(error instanceof ApiError || error instanceof UnreachableError)) throw error;
    add('log', 'failed', error.message);
  }
  return { checks, unreachable: false, run };
}

/** How long a log may take to show the task's lines after the run ended (its upload to remote storage). */
const LOG_UPLOAD_WAIT_MS = 60_000;

/**
 * The lines of a task log that the task wrote: without Airflow 3's "Log
 * message source details" group (utils/log/file_task_handler.py) and
 * Airflow 2's `*** ` lines about where the log was read from.
 */
export function taskOutput(log: string): number {
  let inSources = false;
  let count = 0;
  for (const line of log.split('\n')) {
    if (line.startsWith('::group::Log message source details')) inSources = true;
    else if (inSources && line.startsWith('::endgroup::')) inSources = false;
    else if (!inSources && line.trim() !== '' && !line.startsWith('*** ')) count++;
  }
  return count;
}

/** A failed run's task states, for the reader of the dag line. */
async function taskStates(api: AirflowApi, dagId: string, run: DagRun): Promise<string> {
  try {
    const tasks = await api.taskInstances(dagId, run.runId);
    return ` (${tasks.map((t) => `${t.taskId}: ${t.state}`).join(', ')})`;
  } catch {
    return '';
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
