#!/usr/bin/env bash
# `docker run` on the harness's EC2 instance, as far as the ec2 target's host
# scripts use it: `docker run [--rm] [-i] [--network host] [-e NAME[=value]]…
# IMAGE ARGS…`. amazon/aws-cli runs as the AWS CLI from PyPI (translation.ts);
# anything else is an error, never a silent approximation.
set -euo pipefail
if [[ ${1:-} != run ]]; then
  echo "docker (runtime harness): only \`docker run\` is emulated, not: docker $*" >&2
  exit 125
fi
shift
environment=()
while (($#)); do
  case $1 in
    --rm | -i | -t | -it) shift ;;
    --network) shift 2 ;; # host: the instance's network, which is the container's here
    --network=*) shift ;;
    -e | --env)
      if [[ $2 == *=* ]]; then environment+=("$2"); else environment+=("$2=${!2-}"); fi
      shift 2
      ;;
    -*)
      echo "docker (runtime harness): option $1 is not emulated" >&2
      exit 125
      ;;
    *) break ;;
  esac
done
image=$1
shift
case $image in
  amazon/aws-cli:*) exec env "${environment[@]}" "@AWS_CLI_BIN@/aws" "$@" ;;
  *)
    echo "docker (runtime harness): image $image is not emulated" >&2
    exit 125
    ;;
esac
