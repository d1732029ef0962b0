import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Container } from './host/container.ts';
import type { NetworkSlot, PodNetwork } from './host/network.ts';
import { run } from './host/shell.ts';
import { checkDeadlineMs, pollIntervalMs, runHealthCheck, type CheckOutcome } from './health.ts';
import type { ContainerPlan, DeploymentPlan, HealthCheck, PodPlan, PodRunStatus, RunControl } from './plan.ts';
import { imageRuntime, runtimeEnvironment, SLOWNESS, type ImageRuntime, type TranslationContext } from './translation.ts';

/** What happened to one container, for the scenario's ordering checks and for failure messages. */
export interface ContainerRecord {
  pod: string;
  name: string;
  /** The full command line it ran. */
  argv: string[];
  starts: number[];
  exits: { at: number; code: number | null }[];
  /** Health checks that have passed (by source), and when. */
  healthyAt?: number;
}

type PodState = 'waiting' | 'starting' | 'running' | 'completed' | 'failed';

const RESTART_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000];
const MAX_RESTARTS = 5;

/**
 * Runs a deployment plan on this machine as the platform would: pods start
 * when their dependencies hold, init containers in order, ECS container
 * dependencies within a task, restarts per policy, health checks until they
 * pass. `start()` resolves once every pod is running (or completed, for
 * one-offs) and every gating health check has passed.
 */
export class DeploymentRun implements RunControl {
  readonly records: ContainerRecord[] = [];
  private readonly state = new Map<string, PodState>();
  private readonly failures = new Map<string, string>();

  /** Pods that failed, with why: at start, or later (a container that exhausted its restarts). */
  get failed(): ReadonlyMap<string, string> {
    return this.failures;
  }
  private readonly healthy = new Map<string, boolean>();
  readonly containers = new Map<string, Container[]>();
  readonly slots = new Map<string, NetworkSlot>();
  private readonly hostnames = new Map<string, string>();
  private readonly started = Date.now();
  private stopping = false;
  /** Pods deleted while the deployment runs (RunControl.remove): their containers are not restarted. */
  private readonly removed = new Set<string>();

  constructor(
    readonly plan: DeploymentPlan,
    private readonly runDir: string,
    private readonly network: PodNetwork,
    private readonly translation: TranslationContext,
    /** Added to every container's environment: the platform's own (AWS identity), translation.ts. */
    private readonly platformEnv: (pod: PodPlan, container: ContainerPlan) => Record<string, string> = () => ({}),
  ) {
    for (const pod of plan.pods) this.state.set(pod.name, 'waiting');
    mkdirSync(join(runDir, 'volumes'), { recursive: true });
  }

  /** The address of a pod's network namespace. */
  address(pod: string): string {
    const slot = this.slots.get(pod);
    if (!slot) throw new Error(`pod ${pod} has not started`);
    return slot.address;
  }

  /** Seconds since the run began, for messages. */
  private get elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(0)} s`;
  }

  private readonly startedServices = new Set<unknown>();

  /** Adds the pods and services of a later stage (plan.nextStage); start() brings them up. */
  extend(plan: DeploymentPlan): void {
    this.plan.services = [...(this.plan.services ?? []), ...(plan.services ?? [])];
    for (const pod of plan.pods) {
      if (this.state.has(pod.name)) throw new Error(`pod ${pod.name} is in two stages of the plan`);
      this.plan.pods.push(pod);
      this.state.set(pod.name, 'waiting');
    }
  }

  async start(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (const service of this.plan.services ?? []) {
      if (this.startedServices.has(service)) continue;
      this.startedServices.add(service);
      await service.start(this);
    }
    for (;;) {
      for (const pod of this.plan.pods) {
        if (this.state.get(pod.name) !== 'waiting') continue;
        const blocked = this.blockedBy(pod);
        if (blocked === undefined) {
          this.state.set(pod.name, 'starting');
          void this.startPod(pod).catch((error: Error) => this.fail(pod.name, error.message));
        } else if (blocked.startsWith('!')) {
          this.fail(pod.name, blocked.slice(1));
        }
      }
      const failed = [...this.failures.entries()];
      if (failed.length)
        throw new Error(
          `the deployment did not come up:\n${failed.map(([pod, why]) => `  ${pod}: ${why}`).join('\n')}${this.logTails(failed.map(([p]) => p))}`,
        );
      const pending = this.plan.pods.filter((p) => !this.isUp(p));
      if (pending.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `the deployment did not come up within ${deadlineMs / 1000} s; waiting for ${pending.map((p) => `${p.name} (${this.state.get(p.name)}${this.blockedBy(p) ? `, needs ${this.blockedBy(p)}` : ''})`).join(', ')}${this.logTails(pending.map((p) => p.name))}`,
        );
      }
      await sleep(250);
    }
  }

  private isUp(pod: PodPlan): boolean {
    const state = this.state.get(pod.name);
    if (pod.runsToCompletion) return state === 'completed';
    return state === 'running' && this.healthy.get(pod.name) === true;
  }

  /** undefined when the pod may start; a description of what it waits for; `!reason` when it never can. */
  private blockedBy(pod: PodPlan): string | undefined {
    for (const dep of pod.after) {
      const state = this.state.get(dep.pod);
      if (state === undefined) return `!${dep.source}: no pod ${dep.pod} in the output`;
      if (state === 'failed') return `!${dep.source}: ${dep.pod} failed`;
      const ok =
        dep.condition === 'started'
          ? state === 'running' || state === 'completed'
          : dep.condition === 'healthy'
            ? state === 'running' && this.healthy.get(dep.pod) === true
            : state === 'completed';
      if (!ok) return `${dep.pod} ${dep.condition}`;
    }
    return undefined;
  }

  private fail(pod: string, why: string): void {
    if (this.stopping || this.removed.has(pod)) return;
    this.state.set(pod, 'failed');
    this.failures.set(pod, why);
  }

  private logTails(pods: string[]): string {
    return pods
      .flatMap((p) => this.containers.get(p) ?? [])
      .map((c) => `\n--- last lines of ${c.config.id} ---\n${c.tail(25)}`)
      .join('');
  }

  private async startPod(pod: PodPlan): Promise<void> {
    // The pod's own host name first: it is the canonical name of its address, as in the /etc/hosts Docker and the kubelet write.
    const podOnly = pod.hostnameResolves === 'pod';
    const slot = await this.network.add(
      (address) => {
        const hostname = pod.addressHostname?.(address) ?? pod.hostname;
        this.hostnames.set(pod.name, hostname);
        return podOnly ? pod.names : [hostname, ...pod.names.filter((n) => n !== hostname)];
      },
      podOnly ? [pod.hostname] : [],
    );
    this.slots.set(pod.name, slot);
    const built = pod.containers.map((plan) => ({ plan, container: this.container(pod, plan, slot) }));
    this.containers.set(
      pod.name,
      built.map((b) => b.container),
    );
    for (const { plan, container } of built.filter((b) => b.plan.init)) {
      for (let attempt = 0; ; attempt++) {
        const code = await this.runOnce(pod, plan, container);
        if (code === 0) break;
        if (pod.restart === 'never' || attempt >= MAX_RESTARTS) throw new Error(`init container ${plan.name} exited ${code}`);
        await sleep(RESTART_BACKOFF_MS[Math.min(attempt, RESTART_BACKOFF_MS.length - 1)]!);
      }
    }
    const main = built.filter((b) => !b.plan.init);
    const exits = new Map<string, number | null>();
    const healthyContainers = new Set<string>();
    const gated = main.filter((b) => b.plan.healthChecks.some((c) => c.gatesReadiness)).map((b) => b.plan.name);
    const markHealthy = (name: string) => {
      healthyContainers.add(name);
      if (gated.every((n) => healthyContainers.has(n))) this.healthy.set(pod.name, true);
    };
    if (gated.length === 0) this.healthy.set(pod.name, true);
    await Promise.all(
      main.map(async ({ plan, container }) => {
        await this.waitForContainerDependencies(pod, plan, exits, healthyContainers);
        this.state.set(pod.name, 'running');
        this.supervise(pod, plan, container, exits);
        this.watchHealth(pod, plan, container, slot, markHealthy);
      }),
    );
    if (pod.runsToCompletion) {
      const codes = await Promise.all(main.map((b) => b.container.wait()));
      const bad = codes.find((c) => c !== 0);
      if (bad !== undefined) throw new Error(`exited ${bad}`);
      this.state.set(pod.name, 'completed');
    }
  }

  private container(pod: PodPlan, plan: ContainerPlan, slot: NetworkSlot): Container {
    const image = imageRuntime(plan.image, this.translation);
    const argv = [...(plan.entrypoint ?? image.entrypoint), ...(plan.command ?? (plan.entrypoint ? [] : image.cmd))];
    if (argv.length === 0) throw new Error(`${pod.name}/${plan.name}: no command (the image has no entrypoint and the output gives none)`);
    const user = plan.user ?? image.user;
    const hostname = this.hostnames.get(pod.name) ?? pod.hostname;
    const env = {
      ...image.env,
      ...runtimeEnvironment(image, hostname, user.uid),
      ...this.platformEnv(pod, plan),
      ...plan.env,
      ...Object.fromEntries((plan.addressEnv ?? []).map((name) => [name, slot.address])),
    };
    const mounts = plan.mounts.map((m) => {
      if ('hostPath' in m) return { source: m.hostPath, target: m.target, readOnly: m.readOnly };
      const source = join(this.runDir, 'volumes', m.volume);
      const created = !existsSync(source);
      mkdirSync(source, { recursive: true });
      if (created && m.populate) populateVolume(source, m.target, image);
      return { source, target: m.target, readOnly: m.readOnly };
    });
    const id = `${pod.name}.${plan.name}`;
    const container = new Container(
      {
        id,
        hostname,
        network: slot,
        argv,
        env,
        user,
        workingDir: plan.workingDir ?? image.workingDir,
        mounts,
        image: { dirs: image.dirs, files: image.files },
      },
      this.runDir,
      slot.hostsFile ?? this.network.hostsFile,
    );
    this.records.push({ pod: pod.name, name: plan.name, argv, starts: [], exits: [] });
    return container;
  }

  private record(pod: PodPlan, plan: ContainerPlan): ContainerRecord {
    return this.records.find((r) => r.pod === pod.name && r.name === plan.name)!;
  }

  private async runOnce(pod: PodPlan, plan: ContainerPlan, container: Container): Promise<number | null> {
    // A restart, an init retry or a late pod start that comes after stop() or remove() must not outlive them.
    if (this.stopping || this.removed.has(pod.name)) throw new StoppedError(`${pod.name}/${plan.name}: not started, the run is stopping`);
    const record = this.record(pod, plan);
    record.starts.push(Date.now());
    container.start();
    const code = await container.wait();
    record.exits.push({ at: Date.now(), code });
    return code;
  }

  private async waitForContainerDependencies(pod: PodPlan, plan: ContainerPlan, exits: Map<string, number | null>, healthy: Set<string>): Promise<void> {
    for (const dep of plan.dependsOn ?? []) {
      for (;;) {
        if (this.stopping) return;
        const record = this.records.find((r) => r.pod === pod.name && r.name === dep.container);
        const code = exits.get(dep.container);
        const ok =
          dep.condition === 'START'
            ? (record?.starts.length ?? 0) > 0
            : dep.condition === 'COMPLETE'
              ? exits.has(dep.container)
              : dep.condition === 'SUCCESS'
                ? code === 0
                : healthy.has(dep.container);
        if (ok) break;
        if (dep.condition === 'SUCCESS' && exits.has(dep.container) && code !== 0)
          throw new Error(`${plan.name} needs ${dep.container} to succeed; it exited ${code}`);
        await sleep(250);
      }
    }
  }

  /** Starts the container and restarts it as the pod's policy says. */
  private supervise(pod: PodPlan, plan: ContainerPlan, container: Container, exits: Map<string, number | null>): void {
    void (async () => {
      for (let attempt = 0; ; attempt++) {
        const code = await this.runOnce(pod, plan, container);
        exits.set(plan.name, code);
        if (this.stopping || this.removed.has(pod.name)) return;
        // ECS: a non-essential container that exits stays exited, and its task goes on.
        if (plan.essential === false) return;
        const restart = pod.restart === 'always' || (pod.restart === 'on-failure' && code !== 0);
        if (pod.runsToCompletion && code === 0) return;
        if (!restart) {
          if (!pod.runsToCompletion) this.fail(pod.name, `${plan.name} exited ${code} and is not restarted`);
          return;
        }
        if (attempt >= MAX_RESTARTS) {
          this.fail(pod.name, `${plan.name} exited ${code}; restarted ${MAX_RESTARTS} times`);
          return;
        }
        await sleep(RESTART_BACKOFF_MS[Math.min(attempt, RESTART_BACKOFF_MS.length - 1)]!);
      }
    })().catch((error: Error) => this.fail(pod.name, error.message));
  }

  /** Runs the container's gating checks until they pass, then tells `markHealthy`. */
  private watchHealth(pod: PodPlan, plan: ContainerPlan, container: Container, slot: NetworkSlot, markHealthy: (container: string) => void): void {
    const gating = plan.healthChecks.filter((c) => c.gatesReadiness);
    if (gating.length === 0) {
      markHealthy(plan.name);
      return;
    }
    void (async () => {
      for (const check of gating) {
        const outcome = await this.pollUntilPassing(check, container, slot.address);
        if (!outcome.ok) {
          this.fail(
            pod.name,
            `${plan.name}: ${check.source} did not pass within ${checkDeadlineMs(check) / 1000} s (its declared deadline x${SLOWNESS}): ${outcome.detail}`,
          );
          return;
        }
      }
      this.record(pod, plan).healthyAt = Date.now();
      markHealthy(plan.name);
    })();
  }

  private async pollUntilPassing(check: HealthCheck, container: Container, address: string): Promise<CheckOutcome> {
    const deadline = Date.now() + checkDeadlineMs(check);
    let last: CheckOutcome = { ok: false, detail: 'never ran' };
    await sleep(Math.min(check.timing.startPeriod, 2) * 1000);
    while (!this.stopping && Date.now() < deadline) {
      if (container.running) {
        last = await runHealthCheck(check, container, address);
        if (last.ok) return last;
      } else {
        last = { ok: false, detail: `the container is not running (${this.elapsed} into the run)` };
      }
      await sleep(pollIntervalMs(check));
    }
    return last;
  }

  /**
   * Every health check the output declares, run again now against the
   * running containers, as written. A check passes as the platform counts
   * it: one success within its declared retries (a single failed try does
   * not make a container unhealthy).
   */
  async checkAll(): Promise<{ pod: string; container: string; source: string; outcome: CheckOutcome }[]> {
    const results: { pod: string; container: string; source: string; outcome: CheckOutcome }[] = [];
    for (const pod of this.plan.pods) {
      const containers = this.containers.get(pod.name) ?? [];
      for (const [i, plan] of pod.containers.entries()) {
        const container = containers[i];
        if (!container || plan.init) continue;
        for (const check of plan.healthChecks) {
          let outcome = await runHealthCheck(check, container, this.address(pod.name));
          for (let retry = 1; !outcome.ok && retry < Math.max(check.timing.retries, 1); retry++) {
            await sleep(pollIntervalMs(check));
            outcome = await runHealthCheck(check, container, this.address(pod.name));
            if (outcome.ok) outcome = { ok: true, detail: `${outcome.detail} (try ${retry + 1})` };
          }
          results.push({ pod: pod.name, container: plan.name, source: check.source, outcome });
        }
      }
    }
    return results;
  }

  launch(pod: PodPlan): void {
    this.state.set(pod.name, 'starting');
    void this.startPod(pod).catch((error: Error) => this.fail(pod.name, error.message));
  }

  async remove(pod: string, graceMs: number): Promise<void> {
    this.removed.add(pod);
    await Promise.all((this.containers.get(pod) ?? []).map((c) => c.stop(graceMs)));
  }

  podStatus(pod: string): PodRunStatus | undefined {
    const state = this.state.get(pod);
    if (!state) return undefined;
    const containers = this.containers.get(pod) ?? [];
    const records = this.records.filter((r) => r.pod === pod);
    return {
      state,
      ...(this.slots.has(pod) ? { address: this.slots.get(pod)!.address } : {}),
      containers: records.map((r) => ({
        name: r.name,
        running: containers.find((c) => c.config.id === `${pod}.${r.name}`)?.running ?? false,
        starts: r.starts,
        exits: r.exits,
      })),
    };
  }

  logFile(pod: string, container: string): string | undefined {
    return this.containers.get(pod)?.find((c) => c.config.id === `${pod}.${container}`)?.logFile;
  }

  /** Stops the platform's services, every container (SIGTERM, then SIGKILL), then anything left in the pods' namespaces. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all((this.plan.services ?? []).map((s) => s.stop().catch(() => undefined)));
    const all = [...this.containers.values()].flat();
    await Promise.all(all.map((c) => c.stop(5_000)));
    for (const slot of this.slots.values()) {
      const pids = await run('ip', ['netns', 'pids', slot.namespace]).catch(() => '');
      for (const pid of pids.split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
  }
}

/**
 * What Docker does when a new named volume is first mounted: the image's
 * folder at the mount point is copied into it, owner and mode included (the
 * Airflow image's /opt/airflow/logs is the airflow user's, so its containers
 * can write a new logs volume).
 */
function populateVolume(source: string, target: string, image: ImageRuntime): void {
  const at = target.replace(/^\/+|\/+$/g, '');
  const dir = image.dirs.find((d) => d.path === at);
  if (dir) {
    chmodSync(source, dir.mode);
    if (dir.owner) chownSync(source, dir.owner.uid, dir.owner.gid);
  }
  for (const file of image.files.filter((f) => f.path.startsWith(`${at}/`))) {
    const path = join(source, file.path.slice(at.length + 1));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content, { mode: file.mode ?? 0o644 });
    if (file.owner) chownSync(path, file.owner.uid, file.owner.gid);
  }
}

/** A container not started because the run is stopping: not a failure of the output. */
class StoppedError extends Error {}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
