import { afterEach, describe, expect, it } from 'vitest';
import { EcsAgentEndpoint } from './ecs-agent.ts';

describe('the ECS agent stand-in: task scale-in protection', () => {
  let agent: EcsAgentEndpoint | undefined;
  afterEach(async () => {
    await agent?.stop();
    agent = undefined;
  });

  async function started() {
    agent = new EcsAgentEndpoint('127.0.0.1', 'eu-west-1', '123456789012', 'analytics');
    const port = await agent.serve('127.0.0.1', 0);
    const uri = (task: string) => EcsAgentEndpoint.agentUri(task).replace('169.254.170.2', `127.0.0.1:${port}`);
    const call = async (task: string, method: string, body?: unknown) => {
      const response = await fetch(`${uri(task)}/task-protection/v1/state`, {
        method,
        ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
      });
      return { status: response.status, body: (await response.json()) as Record<string, Record<string, unknown>> };
    };
    return { agent, call };
  }

  it('sets, answers and clears a task’s protection, and reports the changes', async () => {
    const { agent, call } = await started();
    expect((await call('worker-1', 'GET')).body.protection!.ProtectionEnabled).toBe(false);
    const set = await call('worker-1', 'PUT', { ProtectionEnabled: true, ExpiresInMinutes: 60 });
    expect(set.status).toBe(200);
    expect(set.body.protection).toMatchObject({ ProtectionEnabled: true, TaskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/analytics/worker-1' });
    expect((await call('worker-1', 'GET')).body.protection!.ProtectionEnabled).toBe(true);
    expect((await call('worker-2', 'GET')).body.protection!.ProtectionEnabled).toBe(false);
    expect((await call('worker-1', 'PUT', { ProtectionEnabled: false })).body.protection!.ProtectionEnabled).toBe(false);
    expect(agent.findings()).toEqual([{ name: 'scale-in protection', ok: true, detail: 'worker-1: protected (60 min) → cleared' }]);
  });

  it('refuses what the endpoint refuses, and the run’s check fails', async () => {
    const { agent, call } = await started();
    expect((await call('worker-1', 'PUT', { ProtectionEnabled: true, ExpiresInMinutes: 2881 })).status).toBe(400);
    expect((await call('worker-1', 'PUT', { ExpiresInMinutes: 5 })).status).toBe(400);
    expect((await call('worker-1', 'POST', { ProtectionEnabled: true })).status).toBe(405);
    const [finding] = agent.findings();
    expect(finding!.ok).toBe(false);
    expect(finding!.detail).toContain('ExpiresInMinutes must be an integer from 1 to 2880');
  });
});
