import { createServer, type Server } from 'node:http';
import { BridgeAddress } from './bridge-address.ts';
import type { PlatformService } from '../plan.ts';

/** Where the ECS agent answers its tasks (the task metadata and credentials endpoints' link-local address). */
const ADDRESS = '169.254.170.2';

/** One change of a task's scale-in protection, as the agent received it. */
export interface ProtectionChange {
  task: string;
  enabled: boolean;
  expiresInMinutes?: number;
  at: number;
}

/**
 * The ECS agent's task scale-in protection endpoint, as far as a task's
 * containers use it: `$ECS_AGENT_URI/task-protection/v1/state`, where
 * ECS_AGENT_URI is `http://169.254.170.2/api/<task>` (`agentUri`). A PUT
 * takes `{"ProtectionEnabled": bool, "ExpiresInMinutes": 1..2880}` (the
 * latter optional, 120 when absent) and answers the task's protection; GET
 * answers it; anything else is refused with 400 and an error, as the
 * Amazon ECS developer guide's "task scale-in protection endpoint" page
 * describes. Served on the host side of the pods' bridge, which pods reach
 * through their default route. Every change is kept (`changes`) for the run's
 * checks.
 */
export class EcsAgentEndpoint implements PlatformService {
  private server: Server | undefined;
  private bridge: BridgeAddress | undefined;
  private readonly state = new Map<string, { enabled: boolean; expires?: number }>();
  readonly changes: ProtectionChange[] = [];
  /** Requests the agent refused, with why. */
  readonly refused: string[] = [];

  constructor(
    /** The host's address on the pods' network: the bridge the agent's address goes on. */
    private readonly hostAddress: string,
    private readonly region: string,
    private readonly accountId: string,
    private readonly cluster: string,
  ) {}

  /** The ECS_AGENT_URI the agent gives the containers of `task`. */
  static agentUri(task: string): string {
    return `http://${ADDRESS}/api/${encodeURIComponent(task)}`;
  }

  async start(): Promise<void> {
    this.bridge = await BridgeAddress.add(this.hostAddress, ADDRESS);
    await this.serve(ADDRESS, 80);
  }

  /** Answers on `address`:`port` (0: a free one); the port it took. */
  async serve(address: string, port: number): Promise<number> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const answer = (status: number, body: { error?: { Code: string; Message: string } } & Record<string, unknown>) => {
          if (body.error) this.refused.push(`${request.method} ${request.url}: ${body.error.Message}`);
          response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
        };
        const match = /^\/api\/([^/]+)\/task-protection\/v1\/state$/.exec(request.url ?? '');
        if (!match) return answer(404, { error: { Code: 'NotFound', Message: `no such path: ${request.url}` } });
        const task = decodeURIComponent(match[1]!);
        const taskArn = `arn:aws:ecs:${this.region}:${this.accountId}:task/${this.cluster}/${task}`;
        const protection = () => {
          const current = this.state.get(task);
          const enabled = current?.enabled === true && (current.expires === undefined || current.expires > Date.now());
          return {
            protection: {
              ProtectionEnabled: enabled,
              ...(enabled && current?.expires ? { ExpirationDate: new Date(current.expires).toISOString() } : {}),
              TaskArn: taskArn,
            },
          };
        };
        if (request.method === 'GET') return answer(200, protection());
        if (request.method !== 'PUT') return answer(405, { error: { Code: 'InvalidRequest', Message: `${request.method} is not supported` } });
        let body: { ProtectionEnabled?: unknown; ExpiresInMinutes?: unknown };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return answer(400, { error: { Code: 'InvalidRequest', Message: 'the request body is not JSON' } });
        }
        if (typeof body.ProtectionEnabled !== 'boolean')
          return answer(400, { error: { Code: 'InvalidRequest', Message: 'ProtectionEnabled is required and must be a boolean' } });
        const minutes = body.ExpiresInMinutes;
        if (minutes !== undefined && (!Number.isInteger(minutes) || (minutes as number) < 1 || (minutes as number) > 2880))
          return answer(400, { error: { Code: 'InvalidParameterException', Message: 'ExpiresInMinutes must be an integer from 1 to 2880' } });
        const enabled = body.ProtectionEnabled;
        const lasts = enabled ? ((minutes as number | undefined) ?? 120) : undefined;
        this.state.set(task, { enabled, ...(lasts ? { expires: Date.now() + lasts * 60_000 } : {}) });
        this.changes.push({ task, enabled, ...(minutes !== undefined ? { expiresInMinutes: minutes as number } : {}), at: Date.now() });
        return answer(200, protection());
      });
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(port, address, resolve));
    return (this.server.address() as { port: number }).port;
  }

  /**
   * What the run's tasks did with their protection: refused requests fail;
   * otherwise each task's changes, in order. A worker looks at its tasks
   * every few seconds, so a short task may run between two looks: no change
   * is no failure.
   */
  findings(): { name: string; ok: boolean; detail: string }[] {
    if (this.refused.length) return [{ name: 'scale-in protection', ok: false, detail: `the ECS agent refused: ${this.refused.join('; ')}` }];
    const tasks = [...new Set(this.changes.map((c) => c.task))];
    const detail = tasks
      .map(
        (task) =>
          `${task}: ${this.changes
            .filter((c) => c.task === task)
            .map((c) => (c.enabled ? `protected (${c.expiresInMinutes ?? 120} min)` : 'cleared'))
            .join(' → ')}`,
      )
      .join('; ');
    return [{ name: 'scale-in protection', ok: true, detail: detail || 'no task changed its protection' }];
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    await this.bridge?.remove();
  }
}
