#!/usr/bin/env bash
# Stops what deploy/standalone/start-cluster.sh started on this host (workers first, then the master), and
# the workers it started on other hosts when given the same --worker-hosts.
#   deploy/standalone/stop-cluster.sh [--state-dir DIR] [--worker-hosts h1,h2,...]
set -euo pipefail
# shellcheck source=deploy/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

state_dir="$(standalone_state_dir)"
worker_hosts=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --state-dir) state_dir="$2"; shift 2 ;;
    --worker-hosts) worker_hosts="$2"; shift 2 ;;
    -h|--help) sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

IFS=',' read -r -a remote_hosts <<<"$worker_hosts"
for remote in "${remote_hosts[@]}"; do
  # shellcheck disable=SC2029 # expanded here on purpose: the same paths on every host
  [[ -n "$remote" ]] && ssh "$remote" "cd '$FS_ROOT' && deploy/standalone/stop-cluster.sh --state-dir '$state_dir'"
done

stop_pid_file() {
  local file="$1" pid
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    # A worker's executors are its children: stop the whole process group's members we started.
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
    echo "stopped $(basename "$file" .pid) (pid $pid)"
  fi
  rm -f "$file"
}

shopt -s nullglob
for f in "$state_dir"/worker-*.pid; do stop_pid_file "$f"; done
[[ -f "$state_dir/master.pid" ]] && stop_pid_file "$state_dir/master.pid"
rm -f "$state_dir/master-url"
