#!/usr/bin/env bash
# Starts one container of the runtime harness, already inside its pod's
# network namespace and in a mount and UTS namespace of its own (container.ts
# runs it through `ip netns exec … unshare --mount --uts --ipc`). The root file
# system is the host's, seen through an overlay whose upper layer holds what
# the image would (prepared by container.ts) and takes every write; /tmp, /run
# and /var/tmp are empty; /etc/hosts is the network's. Then the volumes are
# mounted, and the command runs as the container's user, in its working
# folder, with exactly its environment.
#
# Arguments: root upper work hostname uid gid groups workdir hosts envfile mounts -- command…
#   groups: comma-separated supplementary groups, or "-" for none
#   envfile: NUL-separated NAME=value entries
#   mounts: one "source<TAB>target<TAB>ro|rw" line per mount
set -euo pipefail
root=$1 upper=$2 work=$3 name=$4 uid=$5 gid=$6 groups=$7 workdir=$8 hosts=$9 envfile=${10} mounts=${11}
shift 12

mount -t overlay overlay -o "lowerdir=/,upperdir=$upper,workdir=$work" "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
# Its own /dev/shm, as Docker gives each container (in its own IPC namespace): PostgreSQL servers of two pods must not meet there.
mount -t tmpfs -o mode=1777,size=64m shm "$root/dev/shm"
mount --rbind /sys "$root/sys"
for dir in tmp run var/tmp; do
  mount -t tmpfs -o mode=1777 tmpfs "$root/$dir"
done
mount --bind "$hosts" "$root/etc/hosts"
hostname "$name"

while IFS=$'\t' read -r source target mode; do
  # Through the image's own symbolic links (/var/run -> /run), as the container sees them, not the host.
  target=$(chroot "$root" realpath -m -- "$target")
  if [[ -d $source ]]; then
    mkdir -p "$root$target"
  else
    mkdir -p "$(dirname "$root$target")"
    [[ -e $root$target ]] || touch "$root$target"
  fi
  mount --bind "$source" "$root$target"
  if [[ $mode == ro ]]; then mount -o remount,bind,ro "$root$target"; fi
done <"$mounts"

mapfile -d '' -t environment <"$envfile"
if [[ $groups == - ]]; then group_args=(--clear-groups); else group_args=(--groups "$groups"); fi
exec chroot "$root" setpriv --reuid "$uid" --regid "$gid" "${group_args[@]}" env -i -C "$workdir" "${environment[@]}" "$@"
