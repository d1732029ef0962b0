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
    --network | --network=*)
      if [[ $1 == --network ]]; then network=$2 && shift 2; else network=${1#--network=} && shift; fi
      if [[ $network != host ]]; then
        echo "docker (runtime harness): only --network host is emulated, not $network" >&2
        exit 125
      fi
      ;;
    -e | --env)
      # NAME=value, or NAME alone: the caller's value, and nothing when it has none (as Docker does).
      if [[ $2 == *=* ]]; then environment+=("$2"); elif [[ -v $2 ]]; then environment+=("$2=${!2}"); fi
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
# The container gets its -e variables and nothing else of the host's environment; the instance
# role's credentials, which the CLI would fetch through IMDS, are moto's (translation.ts).
role=()
for name in AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_ENDPOINT_URL; do
  if [[ -v $name ]]; then role+=("$name=${!name}"); fi
done
# The image's CLI (v2) takes the region from AWS_REGION or AWS_DEFAULT_REGION (awscli/botocore/configprovider.py);
# the stand-in (v1) only from the second: it gets what v2 would read.
for variable in "${environment[@]}"; do
  if [[ $variable == AWS_REGION=* ]]; then environment=("AWS_DEFAULT_REGION=${variable#AWS_REGION=}" "${environment[@]}"); fi
done
case $image in
  amazon/aws-cli:* | public.ecr.aws/aws-cli/aws-cli:*) exec env -i "PATH=@AWS_CLI_BIN@:/usr/bin:/bin" HOME=/root "${role[@]}" "${environment[@]}" "@AWS_CLI_BIN@/aws" "$@" ;;
  *)
    echo "docker (runtime harness): image $image is not emulated" >&2
    exit 125
    ;;
esac
