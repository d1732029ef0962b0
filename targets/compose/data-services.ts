import type { Model } from '../../compiler/normalize/model.ts';
import { MANAGED_DATABASE } from '../../compiler/airflow/settings.ts';
import { postgresImage, REDIS_IMAGE } from '../../compiler/images/official-images.ts';
import { postgresDataLayout } from '../../compiler/postgres/image.ts';
import { healthcheck, type ComposeService } from './compose-types.ts';

export const POSTGRES = { service: 'postgres', port: 5432, volume: 'postgres-db' } as const;
export const REDIS = { service: 'redis', port: 6379 } as const;

/** Postgres for a managed database: on the compose network only, never published. */
export function postgresService(model: Model, passwordFile: string | undefined, dataDir?: string): ComposeService | undefined {
  if (model.database.kind !== 'managed') return undefined;
  return {
    image: postgresImage(model.database.version),
    // With database.managed.password the value comes from its own env file, which only this service reads.
    ...(passwordFile ? { env_file: [passwordFile] } : {}),
    environment: {
      POSTGRES_DB: MANAGED_DATABASE.name,
      // Without it, the fixed password of a private database.
      ...(passwordFile ? {} : { POSTGRES_PASSWORD: MANAGED_DATABASE.user }),
      POSTGRES_USER: MANAGED_DATABASE.user,
    },
    // The image's own VOLUME, which moved with 18's versioned PGDATA.
    volumes: [`${dataDir ?? POSTGRES.volume}:${postgresDataLayout(model.database.version).mountPath}`],
    healthcheck: healthcheck(['CMD', 'pg_isready', '-U', MANAGED_DATABASE.user], { interval: '10s', retries: 5, start_period: '5s' }),
    restart: 'always',
  };
}

/** Redis for a managed Celery broker. */
export function redisService(model: Model): ComposeService | undefined {
  if (model.airflow.executor !== 'CeleryExecutor' || model.broker?.kind !== 'managed') return undefined;
  return {
    image: REDIS_IMAGE,
    expose: [String(REDIS.port)],
    healthcheck: healthcheck(['CMD', 'redis-cli', 'ping'], { interval: '10s', timeout: '30s', retries: 50, start_period: '30s' }),
    restart: 'always',
  };
}
