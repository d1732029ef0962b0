import type { ContainerUser } from './host/container.ts';

/**
 * What a target's output asks a platform to run, read from the generated
 * files by one reader per target (readers/), in platform-neutral terms: pods
 * (a compose service replica, a Kubernetes pod, an ECS task) of containers,
 * the order between them, their health checks, and where the UI is. The
 * runner (runner.ts) runs a plan on the local host.
 */
export interface DeploymentPlan {
  pods: PodPlan[];
  /** The UI/API as users reach it (a published port, an ingress, the ALB): its pod and the container port behind it. */
  ui: { pod: string; port: number };
  /** Health checks of the platform in front of the pods (an ALB target group's check). */
  platformChecks: PlatformCheck[];
}

/** Containers that share one network namespace and start together. */
export interface PodPlan {
  name: string;
  /** The host name its containers see. */
  hostname: string;
  /** Where the platform names a host after its address (Fargate: ip-10-0-1-5.<region>.compute.internal): that name, instead of `hostname`. */
  addressHostname?: (address: string) => string;
  /** Names that resolve to the pod's address everywhere (service names, aliases). */
  names: string[];
  /** In order; init containers run one after the other, each to success, before the others start. */
  containers: ContainerPlan[];
  /** Conditions on other pods before this one starts (compose `depends_on`). */
  after: PodDependency[];
  /** What happens when a container exits: restart it always, only after a failure, or never. */
  restart: 'always' | 'on-failure' | 'never';
  /** A one-off (a compose service that other services wait for to complete, a Job): done when its containers exited 0. */
  runsToCompletion: boolean;
}

export interface PodDependency {
  pod: string;
  condition: 'started' | 'healthy' | 'completed';
  /** Where the output says so, for messages: `depends_on` of docker-compose.yaml. */
  source: string;
}

export interface ContainerPlan {
  name: string;
  /** The image reference as written; translation.ts decides what runs it. */
  image: string;
  /** Replaces the image's entrypoint when set (compose `entrypoint`, Kubernetes `command`, ECS `EntryPoint`). */
  entrypoint?: string[];
  /** Replaces the image's command when set (compose `command`, Kubernetes `args`, ECS `Command`). */
  command?: string[];
  /** Exactly the environment the output gives the container, secrets resolved the platform's way; the image's own comes on top of nothing. */
  env: Record<string, string>;
  /** The image's user when unset. */
  user?: ContainerUser;
  workingDir?: string;
  /** Named volumes (shared folders of the run) and files or folders beside the output, at their container paths. */
  mounts: PlanMount[];
  /** Runs to completion, in order, before the pod's other containers (Kubernetes init containers). */
  init?: boolean;
  /** ECS container dependencies within the task. */
  dependsOn?: { container: string; condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY' }[];
  /** ECS: the task stops when an essential container stops. Default true. */
  essential?: boolean;
  healthChecks: HealthCheck[];
}

export type PlanMount =
  | { volume: string; target: string; readOnly?: boolean }
  | { hostPath: string; target: string; readOnly?: boolean };

/** Timing as the output declares it, in seconds. */
export interface CheckTiming {
  startPeriod: number;
  interval: number;
  timeout: number;
  retries: number;
}

/**
 * A check the platform runs against a container: a command inside it
 * (compose healthcheck, exec probe, ECS HealthCheck), or an HTTP or TCP
 * request to its address (httpGet / tcpSocket probes).
 */
export type HealthCheck = { source: string; timing: CheckTiming; gatesReadiness: boolean } & (
  | { kind: 'exec'; argv: string[] }
  | { kind: 'http'; port: number; path: string; scheme: 'HTTP' | 'HTTPS'; expect: (status: number) => boolean }
  | { kind: 'tcp'; port: number }
);

/** A check from outside the pods, such as an ALB target group's health check. */
export interface PlatformCheck {
  source: string;
  pod: string;
  port: number;
  path: string;
  expect: (status: number) => boolean;
}
