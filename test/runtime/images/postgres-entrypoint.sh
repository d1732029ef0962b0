#!/usr/bin/env bash
# The official postgres image's entrypoint, as its documentation describes it
# (https://hub.docker.com/_/postgres, "Environment Variables" and
# "Initialization scripts"), for the runtime harness, which runs Debian's
# PostgreSQL server: started as root, it owns the data folder to `postgres`
# and runs as that user; on an empty PGDATA it creates the cluster with
# POSTGRES_USER (default postgres) and POSTGRES_PASSWORD, allows password
# logins from anywhere (POSTGRES_HOST_AUTH_METHOD, default scram-sha-256),
# listens on every address and creates POSTGRES_DB (default: the user's name).
set -euo pipefail

if [[ ${1:-} == postgres ]]; then
  # As the image does for any user (docker_create_db_directories); /var/run/postgresql is in the image, under
  # the harness's empty /run here.
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA" || :
  chmod 3775 /var/run/postgresql || :
  if [[ $(id -u) == 0 ]]; then
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    exec setpriv --reuid postgres --regid postgres --init-groups "$0" "$@"
  fi
fi

if [[ ${1:-} == postgres && ! -s $PGDATA/PG_VERSION ]]; then
  user=${POSTGRES_USER:-postgres}
  if [[ -z ${POSTGRES_PASSWORD:-} && ${POSTGRES_HOST_AUTH_METHOD:-} != trust ]]; then
    echo "postgres entrypoint: POSTGRES_PASSWORD is not set" >&2
    exit 1
  fi
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as in the image
  initdb --username="$user" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") -D "$PGDATA" ${POSTGRES_INITDB_ARGS:-} >/dev/null
  printf 'host all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >>"$PGDATA/pg_hba.conf"
  printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  database=${POSTGRES_DB:-$user}
  if [[ $database != postgres ]]; then
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    psql -v ON_ERROR_STOP=1 --username "$user" --dbname postgres --set db="$database" <<<'CREATE DATABASE :"db";' >/dev/null
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  fi
fi
exec "$@"
