import { describe, expect, it } from 'vitest';
import { airflowSettings, plainValue } from '../../compiler/airflow/settings.ts';
import { memoryForTaskSlots, memorySizeForTaskSlots, taskSlotsFor } from '../../compiler/airflow/sizing.ts';
import { check, MINIMAL, modelOf } from '../support/spec.ts';

const CELERY = `${MINIMAL.replace('"3.1.3"', '"3.1.3"\n  executor: CeleryExecutor')}broker: { managed: {} }\n`;
const LOCAL = MINIMAL.replace('"3.1.3"', '"3.1.3"\n  executor: LocalExecutor');
const setting = (text: string, name: string) => {
  const found = airflowSettings(modelOf(text), {}).find((s) => s.name === name);
  return found ? plainValue(found) : undefined;
};

describe('memory and task slots, one from the other', () => {
  it('is 512Mi and 256Mi a slot: two Airflow processes a running task', () => {
    expect(taskSlotsFor(2048)).toBe(6);
    expect(taskSlotsFor(1024)).toBe(2);
    expect(taskSlotsFor(512)).toBe(1);
    expect(memoryForTaskSlots(16)).toBe(4608);
    for (const slots of [1, 6, 16, 100]) expect(taskSlotsFor(memoryForTaskSlots(slots))).toBe(slots);
    // What afc sets is that, in whole GiB: 1536Mi at 1 vCPU is no Fargate size, 2Gi is.
    expect([4, 6, 16].map(memorySizeForTaskSlots)).toEqual(['2Gi', '2Gi', '5Gi']);
  });

  it('derives a Celery worker concurrency from its memory, and its memory from a concurrency', () => {
    expect(modelOf(CELERY).components.workers).toMatchObject({ memory: '2Gi', concurrency: 6 });
    expect(setting(CELERY, 'AIRFLOW__CELERY__WORKER_CONCURRENCY')).toBe('6');
    expect(modelOf(`${CELERY}components: { workers: { memory: 8Gi } }\n`).components.workers).toMatchObject({ concurrency: 30 });
    expect(modelOf(`${CELERY}components: { workers: { concurrency: 16 } }\n`).components.workers).toMatchObject({ memory: '5Gi', memoryMiB: 5120 });
    expect(modelOf(`${CELERY}components: { workers: { concurrency: 4, memory: 4Gi } }\n`).components.workers).toMatchObject({ memory: '4Gi', concurrency: 4 });
  });

  it("sets the LocalExecutor's [core] parallelism from the scheduler's memory (2Gi by default), or the memory from a parallelism", () => {
    expect(modelOf(LOCAL).components.scheduler).toMatchObject({ memory: '2Gi', taskSlots: 6 });
    expect(setting(LOCAL, 'AIRFLOW__CORE__PARALLELISM')).toBe('6');
    expect(setting(`${LOCAL}components: { scheduler: { memory: 3Gi } }\n`, 'AIRFLOW__CORE__PARALLELISM')).toBe('10');
    const own = LOCAL.replace('executor: LocalExecutor', 'executor: LocalExecutor\n  config: { core: { parallelism: 8 } }');
    expect(modelOf(own).components.scheduler).toMatchObject({ memory: '3Gi', taskSlots: 8 });
    expect(
      airflowSettings(modelOf(own), {})
        .filter((s) => s.name === 'AIRFLOW__CORE__PARALLELISM')
        .map(plainValue),
    ).toEqual(['8']);
    // Other executors run no task in the scheduler.
    expect(modelOf(CELERY).components.scheduler).toMatchObject({ memory: '1Gi' });
    expect(modelOf(CELERY).components.scheduler.taskSlots).toBeUndefined();
    expect(setting(CELERY, 'AIRFLOW__CORE__PARALLELISM')).toBeUndefined();
  });

  it('warns (AFC2024) when a spec gives both and the memory cannot hold the slots', () => {
    expect(check(`${CELERY}components: { workers: { concurrency: 16, memory: 2Gi } }\n`)).toEqual([
      'warning AFC2024@11:51 2Gi is less than 16 worker slots (concurrency) need: 4608Mi (512Mi, and 256Mi a task: two Airflow processes each) | raise the memory to 4608Mi, or leave out the task count and afc derives it from the memory',
    ]);
    expect(check(`${CELERY}components: { workers: { concurrency: 6, memory: 2Gi } }\n`)).toEqual([]);
    const local = LOCAL.replace('executor: LocalExecutor', 'executor: LocalExecutor\n  config: { core: { parallelism: 32 } }');
    expect(check(`${local}components: { scheduler: { memory: 4Gi } }\n`).map((d) => d.split(' ').slice(0, 2).join(' '))).toEqual(['warning AFC2024@11:36']);
  });
});
