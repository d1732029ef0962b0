#!/usr/bin/env bash
# The official apache/airflow image's entrypoint, as its documentation
# describes it (https://airflow.apache.org/docs/docker-stack/entrypoint.html),
# for the runtime harness, which runs the image's Airflow from a virtual
# environment. What a generated file relies on, it does here:
#   - waits for the metadata database (`airflow db check`, CONNECTION_CHECK_MAX_COUNT
#     tries CONNECTION_CHECK_SLEEP_TIME s apart; 0 skips the check);
#   - `_AIRFLOW_DB_MIGRATE` migrates, `_AIRFLOW_WWW_USER_CREATE` creates the user
#     named by `_AIRFLOW_WWW_USER_*`;
#   - `bash …` and `python …` run as they are; `airflow …` and a bare
#     `<command> …` both run `airflow <command> …`;
#   - `scheduler` and `celery` wait for the Celery broker with CeleryExecutor.
# Not reproduced: dumb-init (the harness signals the process group), the
# libstdc++ preload, `_PIP_ADDITIONAL_REQUIREMENTS`.
set -euo pipefail
umask 0002

max_checks=${CONNECTION_CHECK_MAX_COUNT:-20}
pause=${CONNECTION_CHECK_SLEEP_TIME:-3}

retry() {
  local left=$max_checks output
  until output=$("$@" 2>&1); do
    left=$((left - 1))
    if ((left <= 0)); then
      echo "entrypoint: gave up after ${max_checks} tries: $*" >&2
      echo "$output" >&2
      exit 1
    fi
    sleep "$pause"
  done
}

broker_reachable() {
  python - "$(airflow config get-value celery broker_url)" <<'PY'
import socket, sys
from urllib.parse import urlsplit
url = urlsplit(sys.argv[1])
default = {"redis": 6379, "rediss": 6379, "amqp": 5672, "sqla+postgresql": 5432}.get(url.scheme, 0)
socket.create_connection((url.hostname or "localhost", url.port or default), timeout=5).close()
PY
}

if ((max_checks > 0)); then retry airflow db check; fi
if [[ -n ${_AIRFLOW_DB_MIGRATE:-}${_AIRFLOW_DB_UPGRADE:-} ]]; then airflow db migrate || true; fi
if [[ -n ${_AIRFLOW_WWW_USER_CREATE:-} ]]; then
  password=${_AIRFLOW_WWW_USER_PASSWORD:-}
  if [[ -n ${_AIRFLOW_WWW_USER_PASSWORD_CMD:-} ]]; then password=$(eval "$_AIRFLOW_WWW_USER_PASSWORD_CMD"); fi
  if [[ -z $password ]]; then
    echo "entrypoint: _AIRFLOW_WWW_USER_CREATE without a password" >&2
    exit 1
  fi
  airflow users create --username "${_AIRFLOW_WWW_USER_USERNAME:-admin}" --firstname "${_AIRFLOW_WWW_USER_FIRSTNAME:-Airflow}" \
    --lastname "${_AIRFLOW_WWW_USER_LASTNAME:-Admin}" --email "${_AIRFLOW_WWW_USER_EMAIL:-airflowadmin@example.com}" \
    --role "${_AIRFLOW_WWW_USER_ROLE:-Admin}" --password "$password" || true
fi

case ${1:-} in
  bash) shift; exec /bin/bash "$@" ;;
  python) shift; exec python "$@" ;;
  airflow) shift ;;
esac
if [[ ${1:-} =~ ^(scheduler|celery)$ ]] && ((max_checks > 0)) && [[ $(airflow config get-value core executor) == CeleryExecutor ]]; then
  retry broker_reachable
fi
exec airflow "$@"
