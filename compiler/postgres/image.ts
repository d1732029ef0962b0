/**
 * Facts of the official `postgres` image (docker-library/postgres) that every
 * target running Postgres in a container needs: where its data lives.
 *
 * Up to 17 the image declares `VOLUME /var/lib/postgresql/data` and
 * `PGDATA=/var/lib/postgresql/data`. From 18 on, PGDATA follows the
 * `pg_ctlcluster` layout, `/var/lib/postgresql/<major>/docker`, and the VOLUME
 * moved to `/var/lib/postgresql` (docker-library/postgres `18/trixie/Dockerfile`
 * @12eb576: "in 18+, PGDATA has changed to match the pg_ctlcluster standard
 * directory structure, and the VOLUME has moved from /var/lib/postgresql/data
 * to /var/lib/postgresql"). Mounting the old path on 18 leaves the database in
 * the image's anonymous volume, and newer 18 entrypoints refuse to start.
 */
export interface PostgresDataLayout {
  /** The image's VOLUME: where a persistent volume or host folder is mounted. */
  mountPath: string;
  /** The image's PGDATA: the cluster's folder, equal to or under `mountPath`. */
  pgdata: string;
}

/** The first major version whose image uses the versioned layout. */
export const POSTGRES_VERSIONED_LAYOUT_SINCE = 18;

/** The data layout of `postgres:<version>` (`version` as the spec has it: "16", "18", "17.2"). */
export function postgresDataLayout(version: string): PostgresDataLayout {
  const major = Number.parseInt(version, 10);
  if (major >= POSTGRES_VERSIONED_LAYOUT_SINCE) return { mountPath: '/var/lib/postgresql', pgdata: `/var/lib/postgresql/${major}/docker` };
  return { mountPath: '/var/lib/postgresql/data', pgdata: '/var/lib/postgresql/data' };
}
