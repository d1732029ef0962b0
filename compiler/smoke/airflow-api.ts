import type { AirflowFacts } from '../airflow/facts.ts';
import type { DeepReadonly } from '../normalize/freeze.ts';

/** The server could not be reached at all (refused, no such host, timed out): `afc smoke` exits 2. */
export class UnreachableError extends Error {}

/** A request the API answered with an unexpected status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A DAG run's state as the API reports it. */
export interface DagRun {
  runId: string;
  state: string;
}

export interface TaskInstance {
  taskId: string;
  state: string | null;
  tryNumber: number;
  mapIndex: number;
}

/**
 * Airflow's stable REST API, as far as a smoke test needs it: the public
 * health endpoint, a login, a DAG run and a task's log. One client for both
 * lines, as `facts.restApi` describes each: a JWT from `POST /auth/token` on
 * Airflow 3, HTTP basic auth on Airflow 2 (docs/airflow-facts.md, "REST API").
 */
export class AirflowApi {
  private authorization: string | undefined;
  /** No request outlives this moment (epoch ms), whatever its own timeout: the caller's overall deadline. */
  deadline = Infinity;

  constructor(
    /** The UI's base URL (a path prefix allowed), without a trailing slash. */
    readonly baseUrl: string,
    private readonly facts: DeepReadonly<Pick<AirflowFacts, 'major' | 'web' | 'restApi'>>,
    /** One request's timeout, in ms. */
    private readonly requestTimeoutMs = 30_000,
  ) {}

  /** `GET <healthPath>`: each component's status (`healthy`, `unhealthy`, or null when it does not run). */
  async health(): Promise<Record<string, string | null>> {
    const body = await this.request('GET', this.facts.web.healthPath, { auth: false });
    if (!isRecord(body)) throw new ApiError(200, `GET ${this.facts.web.healthPath}: not Airflow's health answer: ${JSON.stringify(body).slice(0, 200)}`);
    return Object.fromEntries(Object.entries(body).map(([name, value]) => [name, isRecord(value) && typeof value.status === 'string' ? value.status : null]));
  }

  /** Logs in; later requests carry the token (Airflow 3) or the credentials (Airflow 2). Throws ApiError 401/403 on a wrong password. */
  async login(username: string, password: string): Promise<void> {
    if (this.facts.restApi.auth === 'basic') {
      this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      await this.request('GET', `${this.facts.restApi.prefix}/dags?limit=1`);
      return;
    }
    const body = (await this.request('POST', '/auth/token', { auth: false, body: { username, password }, expect: [200, 201], quiet: true })) as {
      access_token?: string;
    };
    if (!body.access_token) throw new ApiError(200, 'POST /auth/token returned no access_token');
    this.authorization = `Bearer ${body.access_token}`;
  }

  /** Whether the DAG is known (parsed and serialized). */
  async dagExists(dagId: string): Promise<boolean> {
    try {
      await this.request('GET', `${this.facts.restApi.prefix}/dags/${encodeURIComponent(dagId)}`);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return false;
      throw error;
    }
  }

  async unpause(dagId: string): Promise<void> {
    await this.request('PATCH', `${this.facts.restApi.prefix}/dags/${encodeURIComponent(dagId)}`, { body: { is_paused: false } });
  }

  async trigger(dagId: string, conf: Record<string, unknown>): Promise<DagRun> {
    const body = this.facts.major >= 3 ? { logical_date: null, conf } : { conf };
    const run = (await this.request('POST', `${this.facts.restApi.prefix}/dags/${encodeURIComponent(dagId)}/dagRuns`, { body })) as {
      dag_run_id: string;
      state: string;
    };
    return { runId: run.dag_run_id, state: run.state };
  }

  async dagRun(dagId: string, runId: string): Promise<DagRun> {
    const run = (await this.request('GET', `${this.dagRunPath(dagId, runId)}`)) as { dag_run_id: string; state: string };
    return { runId: run.dag_run_id, state: run.state };
  }

  async taskInstances(dagId: string, runId: string): Promise<TaskInstance[]> {
    const path = `${this.dagRunPath(dagId, runId)}/taskInstances`;
    const body = await this.request('GET', path);
    if (!isRecord(body) || !Array.isArray(body.task_instances)) throw new ApiError(200, `GET ${path}: no task_instances in the answer`);
    return (body.task_instances as { task_id: string; state: string | null; try_number: number; map_index: number }[]).map((t) => ({
      taskId: t.task_id,
      state: t.state,
      tryNumber: t.try_number,
      mapIndex: t.map_index,
    }));
  }

  /**
   * The log of one try of a task, as text: Airflow 3's structured lines
   * joined; Airflow 2's as `text/plain` (its JSON form is a Python repr).
   */
  async taskLog(dagId: string, runId: string, taskId: string, tryNumber: number, mapIndex = -1): Promise<string> {
    // A mapped task's instances share their task id; the map index names one.
    const path = `${this.dagRunPath(dagId, runId)}/taskInstances/${encodeURIComponent(taskId)}/logs/${tryNumber}?full_content=true${mapIndex >= 0 ? `&map_index=${mapIndex}` : ''}`;
    if (this.facts.major < 3) return (await this.request('GET', path, { accept: 'text/plain' })) as string;
    const body = await this.request('GET', path);
    const content = isRecord(body) ? body.content : body;
    if (typeof content === 'string') return content;
    if (Array.isArray(content))
      return content
        .map((line) =>
          typeof line === 'string'
            ? line
            : typeof line === 'object' && line && 'event' in line
              ? String((line as { event: unknown }).event)
              : JSON.stringify(line),
        )
        .join('\n');
    return JSON.stringify(content);
  }

  private dagRunPath(dagId: string, runId: string): string {
    return `${this.facts.restApi.prefix}/dags/${encodeURIComponent(dagId)}/dagRuns/${encodeURIComponent(runId)}`;
  }

  private async request(
    method: string,
    path: string,
    options: { auth?: boolean; body?: unknown; expect?: number[]; quiet?: boolean; accept?: string } = {},
  ): Promise<unknown> {
    // `quiet`: an error answer to a request that carried a password may echo it; it is not shown.
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.auth !== false && this.authorization) headers.authorization = this.authorization;
    let response: Response;
    try {
      const timeout = Math.max(1_000, Math.min(this.requestTimeoutMs, this.deadline - Date.now()));
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(timeout),
        redirect: 'manual',
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new UnreachableError(`${method} ${this.baseUrl}${path}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    const text = await response.text();
    if (!(options.expect ?? [200]).includes(response.status)) {
      throw new ApiError(
        response.status,
        `${method} ${path}: ${response.status} ${response.statusText}${text && !options.quiet ? `: ${text.slice(0, 300).replace(/\s+/g, ' ')}` : ''}`,
      );
    }
    if (options.accept && options.accept !== 'application/json') return text;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ApiError(response.status, `${method} ${path}: the answer is not JSON: ${text.slice(0, 200)}`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
