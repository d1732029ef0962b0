#!/usr/bin/env bash
# The official redis image's entrypoint, as its documentation describes it
# (https://hub.docker.com/_/redis), for the runtime harness, which runs
# Debian's Redis server: started as root, it runs as `redis` in /data; a
# `redis-server` without a configuration file gets `--protected-mode no`, so
# that other containers reach it.
set -euo pipefail

if [[ ${1:-} == redis-server && $(id -u) == 0 ]]; then
  chown redis:redis .
  exec setpriv --reuid redis --regid redis --init-groups "$0" "$@"
fi
if [[ ${1:-} == redis-server && ${2:-} != *.conf ]]; then
  set -- "$@" --protected-mode no
fi
exec "$@"
