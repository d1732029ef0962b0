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
  /** Servers of the platform that pods talk to and that act on the run (a Kubernetes API server that starts the pods a scheduler asks for): started before the pods, stopped before them. */
  services?: PlatformService[];
  /**
   * The platform gives the containers an AWS identity (an instance role, IRSA,
   * a task role): the harness gives them moto's credentials and endpoint.
   * Default true; a laptop's compose says false.
   */
  awsIdentity?: boolean;
  /** EC2's instance metadata service, which the output's host scripts call. */
  instanceMetadata?: { region: string };
  /**
   * What runs once these pods are up, read only then: on an EC2 host, the
   * compose bundle that `fetch-secrets.sh` completed with `.env`.
   */
  nextStage?: () => Promise<DeploymentPlan>;
}

export interface PlatformService {
  start(run: RunControl): Promise<void>;
  stop(): Promise<void>;
  /** What the service saw the deployment do, as checks of the run (asked after the DAG run). */
  findings?(): { name: string; ok: boolean; detail: string }[];
}

/** What a platform service may do with a running deployment (runner.ts). */
export interface RunControl {
  /** Starts a pod the platform creates while the deployment runs. */
  launch(pod: PodPlan): void;
  /** Stops a pod's containers for good: SIGTERM, then SIGKILL after `graceMs`. */
  remove(pod: string, graceMs: number): Promise<void>;
  /** Where a launched (or planned) pod is; undefined before it is known. */
  podStatus(pod: string): PodRunStatus | undefined;
  /** A container's output file (its log), once it has started. */
  logFile(pod: string, container: string): string | undefined;
}

export interface PodRunStatus {
  state: 'waiting' | 'starting' | 'running' | 'completed' | 'failed';
  address?: string;
  containers: { name: string; running: boolean; starts: number[]; exits: { at: number; code: number | null }[] }[];
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
  /** Where `hostname` resolves: everywhere (a compose container's, an ECS task's), or only inside the pod (Kubernetes: the kubelet's /etc/hosts; cluster DNS does not know pods). Default everywhere. */
  hostnameResolves?: 'everywhere' | 'pod';
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
  /** Variables set to the pod's address once it has one (Kubernetes `fieldRef: status.podIP`). */
  addressEnv?: string[];
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
  /** `populate`: a Docker named volume, which takes the image's folder at `target` (content, owner, mode) when it is new. */
  { volume: string; target: string; readOnly?: boolean; populate?: boolean } | { hostPath: string; target: string; readOnly?: boolean };

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
