import type { HealthCheck } from '../../plan.ts';
import { onlyFields } from './manifests.ts';

interface Probe {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number | string; scheme?: 'HTTP' | 'HTTPS'; host?: string; httpHeaders?: unknown[] };
  tcpSocket?: { port: number | string; host?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

export interface ProbedContainer {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}

/**
 * A container's probes as the kubelet runs them, in its order: the startup
 * probe, then readiness, both of which hold the pod back until they pass;
 * the liveness probe is run too but holds nothing back, and the harness
 * does not restart a container whose liveness probe fails (it reports the
 * failure in its end-of-run check of every probe). Exec commands run as
 * written: the kubelet expands no `$(VAR)` in them. Timing is the API's,
 * with its defaults (period 10 s, timeout 1 s, failure threshold 3); an
 * httpGet passes on a status from 200 to 399.
 */
export function probes(container: ProbedContainer, where: string): HealthCheck[] {
  const checks: HealthCheck[] = [];
  const kinds = [
    ['startupProbe', true],
    ['readinessProbe', true],
    ['livenessProbe', false],
  ] as const;
  for (const [kind, gatesReadiness] of kinds) {
    const probe = container[kind];
    if (!probe) continue;
    const at = `${where}.${kind}`;
    onlyFields(
      probe,
      [
        'exec',
        'httpGet',
        'tcpSocket',
        'initialDelaySeconds',
        'periodSeconds',
        'timeoutSeconds',
        'failureThreshold',
        'successThreshold',
        'terminationGracePeriodSeconds',
      ],
      at,
    );
    if ((probe.successThreshold ?? 1) !== 1) throw new Error(`${at}: successThreshold ${probe.successThreshold}: the harness counts one success`);
    const timing = {
      startPeriod: probe.initialDelaySeconds ?? 0,
      interval: probe.periodSeconds ?? 10,
      timeout: probe.timeoutSeconds ?? 1,
      retries: probe.failureThreshold ?? 3,
    };
    const base = { source: at, timing, gatesReadiness };
    if (probe.exec) {
      onlyFields(probe.exec, ['command'], `${at}.exec`);
      if (!Array.isArray(probe.exec.command) || probe.exec.command.length === 0) throw new Error(`${at}.exec.command is empty`);
      checks.push({ ...base, kind: 'exec', argv: probe.exec.command.map(String) });
    } else if (probe.httpGet) {
      onlyFields(probe.httpGet, ['path', 'port', 'scheme'], `${at}.httpGet`);
      checks.push({
        ...base,
        kind: 'http',
        port: port(container, probe.httpGet.port, at),
        path: probe.httpGet.path ?? '/',
        scheme: probe.httpGet.scheme ?? 'HTTP',
        expect: (status) => status >= 200 && status < 400,
      });
    } else if (probe.tcpSocket) {
      onlyFields(probe.tcpSocket, ['port'], `${at}.tcpSocket`);
      checks.push({ ...base, kind: 'tcp', port: port(container, probe.tcpSocket.port, at) });
    } else {
      throw new Error(`${at}: a probe the harness does not run (exec, httpGet and tcpSocket)`);
    }
  }
  return checks;
}

/** A port number, or the number of the container's port of that name. */
export function port(container: ProbedContainer, value: number | string, where: string): number {
  if (typeof value === 'number') return value;
  if (/^\d+$/.test(value)) return Number(value);
  const named = container.ports?.find((p) => p.name === value);
  if (!named) throw new Error(`${where}: container ${container.name} has no port named ${value}`);
  return named.containerPort;
}
