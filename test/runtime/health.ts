import { connect } from 'node:net';
import type { Container } from './host/container.ts';
import type { HealthCheck } from './plan.ts';
import { SLOWNESS } from './translation.ts';

/** One run of a health check. */
export interface CheckOutcome {
  ok: boolean;
  detail: string;
}

/**
 * Runs a declared health check once, as the platform would: a command inside
 * the container with its environment, or a request to the pod's address.
 * The declared timeout is stretched by SLOWNESS (translation.ts).
 */
export async function runHealthCheck(check: HealthCheck, container: Container, address: string): Promise<CheckOutcome> {
  const timeoutMs = check.timing.timeout * 1000 * SLOWNESS;
  switch (check.kind) {
    case 'exec': {
      const result = await container.exec(check.argv, timeoutMs);
      if (result.timedOut) return { ok: false, detail: `timed out after ${timeoutMs / 1000} s: ${result.output.trim()}` };
      const ok = result.exitCode === 0;
      return {
        ok,
        detail: ok ? 'exit 0' : `exit ${result.exitCode}${result.output.trim() ? `: ${result.output.trim().split('\n').slice(-3).join(' / ')}` : ''}`,
      };
    }
    case 'http': {
      const url = `${check.scheme.toLowerCase()}://${address}:${check.port}${check.path}`;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
        await response.arrayBuffer();
        return { ok: check.expect(response.status), detail: `GET ${url}: ${response.status}` };
      } catch (error) {
        return { ok: false, detail: `GET ${url}: ${(error as Error).message}` };
      }
    }
    case 'tcp':
      return new Promise((resolve) => {
        const socket = connect({ host: address, port: check.port, timeout: timeoutMs });
        socket.once('connect', () => {
          socket.destroy();
          resolve({ ok: true, detail: `connected to ${address}:${check.port}` });
        });
        const fail = (why: string) => {
          socket.destroy();
          resolve({ ok: false, detail: `${address}:${check.port}: ${why}` });
        };
        socket.once('timeout', () => fail('timed out'));
        socket.once('error', (e) => fail(e.message));
      });
  }
}

/** How long the platform gives a check to pass before it calls the container unhealthy, stretched by SLOWNESS, in ms. */
export function checkDeadlineMs(check: HealthCheck): number {
  const t = check.timing;
  return (t.startPeriod + t.interval * Math.max(t.retries, 1) + t.timeout) * 1000 * SLOWNESS;
}

/** How often the harness runs a check while waiting for it: often enough not to slow the run, rarely enough for 2 cores. */
export function pollIntervalMs(check: HealthCheck): number {
  const floor = check.kind === 'exec' ? 5 : 2;
  return Math.min(Math.max(check.timing.interval, floor), 10) * 1000;
}
