/**
 * How much memory a component that runs tasks needs for its task slots, and
 * how many slots a memory size holds: the one rule between the Celery
 * worker's `concurrency` (`[celery] worker_concurrency`) and its memory, and
 * between the LocalExecutor's `[core] parallelism` and the scheduler's
 * memory (the LocalExecutor runs every task inside the scheduler).
 *
 * A running task is two Airflow processes: on Airflow 3 the supervisor that
 * `supervise()` forks and the task runner it forks in turn (318
 * `sdk/execution_time/supervisor.py`); on Airflow 2 the `LocalTaskJob` and
 * its raw task (StandardTaskRunner forks it). One process that has imported
 * Airflow and the task runtime holds 133 MiB (3.1.8) to 159 MiB (2.11.2)
 * (ru_maxrss, measured: docs/airflow-facts.md §11c). Fork shares pages until
 * they are written, so a slot is rounded to 256 MiB, before the task's own
 * work. The component's own process (the worker's main process and log
 * server; the scheduler's loop) takes `BASE_MIB`.
 */
export const SIZING = {
  /** The component's own processes, MiB. */
  baseMiB: 512,
  /** One task slot: two Airflow processes, MiB. */
  slotMiB: 256,
} as const;

/** Task slots that `memoryMiB` holds: (memory − base) / slot, at least 1 (2Gi → 6, 1Gi → 2). */
export function taskSlotsFor(memoryMiB: number): number {
  return Math.max(1, Math.floor((memoryMiB - SIZING.baseMiB) / SIZING.slotMiB));
}

/** Memory that `slots` task slots need, MiB: base + slots × slot (16 → 4608). */
export function memoryForTaskSlots(slots: number): number {
  return SIZING.baseMiB + slots * SIZING.slotMiB;
}

/**
 * The memory afc gives a component when the spec sets only its task count:
 * what the slots need, rounded up to whole GiB, the step in which platforms
 * size memory (Fargate from 1 vCPU up, instance types), as a Kubernetes
 * quantity (16 → `5Gi`). A size in MiB would be one that Fargate has for no CPU.
 */
export function memorySizeForTaskSlots(slots: number): string {
  return `${Math.ceil(memoryForTaskSlots(slots) / 1024)}Gi`;
}
