import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NetworkSlot } from './network.ts';

const LAUNCHER = fileURLToPath(new URL('./launch-container.sh', import.meta.url));

/** A numeric user, as `user:` / `runAsUser` / ECS `User` end up. */
export interface ContainerUser {
  uid: number;
  gid: number;
  /** Supplementary groups (compose `group_add`, Kubernetes `supplementalGroups`). */
  groups?: number[];
}

/** A bind mount into the container: a harness folder (a volume) or file at `target`. */
export interface Mount {
  source: string;
  target: string;
  readOnly?: boolean;
}

/** A file the image holds (written into the container's own layer before it starts). */
export interface ImageFile {
  path: string;
  content: string | Buffer;
  mode?: number;
  owner?: { uid: number; gid: number };
}

/** Everything needed to start one container process, translated already. */
export interface ContainerConfig {
  /** Unique within the run: names its folder and its log. */
  id: string;
  hostname: string;
  network: NetworkSlot;
  /** The full command line (entrypoint then command), looked up on the container's PATH. */
  argv: string[];
  env: Record<string, string>;
  user: ContainerUser;
  workingDir: string;
  mounts: Mount[];
  /** Folders and files of the image, with their owners: the image's own content. */
  image: { dirs: { path: string; mode: number; owner?: { uid: number; gid: number } }[]; files: ImageFile[] };
}

/** What a command run inside a container printed and how it ended. */
export interface ExecResult {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
}

/**
 * One container as a local process: its own root (the host's file system
 * under an overlay), network (its pod's namespace), host name and user. It is
 * as close to `docker run` as one machine without a container engine gets;
 * exec() runs a command beside it the way `docker exec` and probes do.
 */
export class Container {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  readonly logFile: string;
  private readonly dir: string;

  constructor(
    readonly config: ContainerConfig,
    runDir: string,
    private readonly hostsFile: string,
  ) {
    this.dir = join(runDir, 'containers', config.id);
    this.logFile = join(runDir, 'logs', `${config.id}.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process; a restart keeps the container's layer, as Docker's restart policy does. */
  start(): void {
    const { config } = this;
    const upper = join(this.dir, 'upper');
    const work = join(this.dir, 'work');
    const root = join(this.dir, 'root');
    for (const dir of [upper, work, root]) mkdirSync(dir, { recursive: true });
    for (const dir of config.image.dirs) {
      const path = join(upper, dir.path);
      mkdirSync(path, { recursive: true });
      chmodSync(path, dir.mode);
      if (dir.owner) chownSync(path, dir.owner.uid, dir.owner.gid);
    }
    for (const file of config.image.files) {
      const path = join(upper, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content, { mode: file.mode ?? 0o644 });
      chmodSync(path, file.mode ?? 0o644);
      if (file.owner) chownSync(path, file.owner.uid, file.owner.gid);
    }
    const envFile = join(this.dir, 'env');
    writeFileSync(
      envFile,
      Object.entries(config.env)
        .map(([k, v]) => `${k}=${v}\0`)
        .join(''),
      { mode: 0o600 },
    );
    const mountsFile = join(this.dir, 'mounts');
    for (const mount of config.mounts) {
      if (/[\t\n]/.test(mount.source + mount.target)) throw new Error(`${config.id}: a mount path with a tab or line break: ${JSON.stringify(mount)}`);
    }
    writeFileSync(mountsFile, config.mounts.map((m) => `${m.source}\t${m.target}\t${m.readOnly ? 'ro' : 'rw'}\n`).join(''));

    mkdirSync(dirname(this.logFile), { recursive: true });
    const log = openSync(this.logFile, 'a');
    const groups = config.user.groups?.length ? config.user.groups.join(',') : '-';
    const args = [
      'netns',
      'exec',
      config.network.namespace,
      'unshare',
      '--mount',
      '--uts',
      '--ipc',
      '--propagation',
      'private',
      'bash',
      LAUNCHER,
      root,
      upper,
      work,
      config.hostname,
      String(config.user.uid),
      String(config.user.gid),
      groups,
      config.workingDir,
      this.hostsFile,
      envFile,
      mountsFile,
      '--',
      ...config.argv,
    ];
    const child = spawn('ip', args, { stdio: ['ignore', log, log], detached: true, env: {} });
    closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  }

  /** Resolves with the exit code when the process ends. */
  wait(): Promise<number | null> {
    if (!this.exited) throw new Error(`${this.config.id} has not started`);
    return this.exited;
  }

  /** SIGTERM to the container's process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child?.pid || !this.running) return;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, name);
      } catch {
        /* already gone */
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    await this.wait();
    clearTimeout(timer);
  }

  /**
   * Runs `argv` inside the running container (its namespaces, root, user and
   * environment), as `docker exec` or a Kubernetes exec probe does; `shell`
   * runs one string with /bin/sh -c, as compose's CMD-SHELL does.
   */
  exec(argv: readonly string[], timeoutMs: number, extraEnv: Record<string, string> = {}): Promise<ExecResult> {
    const pid = this.pid;
    if (pid === undefined || !this.running) return Promise.resolve({ exitCode: null, output: `${this.config.id} is not running`, timedOut: false });
    const { user, env } = this.config;
    const environment = Object.entries({ ...env, ...extraEnv }).map(([k, v]) => `${k}=${v}`);
    const groups = user.groups?.length ? ['--groups', user.groups.join(',')] : ['--clear-groups'];
    const args = [
      '-t',
      String(pid),
      '-n',
      '-m',
      '-u',
      '-i',
      '-r',
      '-w',
      'setpriv',
      '--reuid',
      String(user.uid),
      '--regid',
      String(user.gid),
      ...groups,
      'env',
      '-i',
      ...environment,
      ...argv,
    ];
    return new Promise((resolve) => {
      const child = spawn('nsenter', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: {} });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, timeoutMs);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ exitCode: timedOut ? null : code, output: output.slice(-4000), timedOut });
      });
    });
  }

  /** The last `lines` lines of the container's output, for a failure message. */
  tail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}
