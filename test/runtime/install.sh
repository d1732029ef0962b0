#!/usr/bin/env bash
# Installs what the runtime harness runs into ${AFC_RUNTIME_HOME:-/opt/afc-runtime}:
# one virtual environment per file of requirements/ (an Airflow release with
# the providers afc's output needs, or the tools: the AWS CLI), each exactly
# as locked there, and bin/compose-config (compose-config/, built with Go from
# the versions its go.sum locks). uv, pinned, installs a locked environment in seconds where
# pip takes minutes. Idempotent: a second run only checks.
#
# Regenerate a lock after changing what it holds:
#   VIRTUAL_ENV=/opt/afc-runtime/airflow-X.Y.Z uv pip install "apache-airflow[celery,postgres,fab,amazon,cncf.kubernetes,standard]==X.Y.Z" "celery<5.7"
# (Airflow's own constraint files are on GitHub, which this machine cannot reach; without them
# the resolver takes celery 5.7, which removed celery.backends.database.retry that the celery
# provider imports, and the CeleryExecutor fails to load.)
#   VIRTUAL_ENV=/opt/afc-runtime/airflow-X.Y.Z uv pip freeze > test/runtime/requirements/airflow-X.Y.Z.txt
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=${AFC_RUNTIME_HOME:-/opt/afc-runtime}
python=${PYTHON:-python3}
uv_version=0.13.9

mkdir -p "$home"
if ! "$home/uv/bin/uv" --version 2>/dev/null | grep -qF "uv $uv_version"; then
  "$python" -m venv "$home/uv"
  "$home/uv/bin/pip" install --quiet --disable-pip-version-check "uv==$uv_version"
fi
uv=$home/uv/bin/uv

for lock in "$here"/requirements/*.txt; do
  venv=$home/$(basename "$lock" .txt)
  [[ -x $venv/bin/python ]] || "$uv" venv --quiet --python "$python" "$venv"
  # Bytecode compiled now: containers run as a user who cannot write __pycache__ there, and would compile every module at every start.
  VIRTUAL_ENV=$venv "$uv" pip sync --quiet --compile-bytecode "$lock"
  echo "runtime: $venv ($(wc -l <"$lock") packages)"
done

mkdir -p "$home/bin"
(cd "$here/compose-config" && GOFLAGS=-mod=readonly go build -o "$home/bin/compose-config" .)
echo "runtime: $home/bin/compose-config"
