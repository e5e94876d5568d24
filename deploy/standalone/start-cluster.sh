#!/usr/bin/env bash
# Starts a Spark standalone cluster for fashion-spark: a master on this host and workers on this host and/or on
# other hosts (over ssh), from the project's own Spark jars (target/lib) or $SPARK_HOME. No Spark distribution
# is needed. Waits until every worker has registered, then prints the master URL.
# The cluster is closed by default: on first start it generates a shared secret (STATE_DIR/secret, readable only by
# its owner, never printed); the master, the workers and submit.sh authenticate with it and encrypt RPC traffic
# and spilled blocks. The REST submission server stays off, and the master binds to --host only.
#
#   deploy/standalone/start-cluster.sh [--host HOST] [--port 7077] [--ui-port 8080]
#       [--workers N] [--worker-cores C] [--worker-memory M] [--worker-hosts h1,h2,...] [--state-dir DIR]
#   deploy/standalone/start-cluster.sh --worker-only --master spark://HOST:PORT [--host HOST] [--foreground] ...
#
#   --host          the one address the master, local workers and their web UIs bind to and advertise (default:
#                   this host's name; the loopback address keeps a one-host cluster off the network)
#   --workers       workers to start on this host (default 1; 0 with --worker-hosts for a master-only host)
#   --worker-cores  task slots per worker (default 1: one training replica per worker)
#   --worker-memory memory a worker may give its executors (default 4g: a 2g heap + ND4J off-heap)
#   --worker-hosts  other hosts to start one worker on each, over ssh; the project must be at the same path there
#   --state-dir     where pid files, logs and the secret go (default $STATE_DIR or
#                   ${TMPDIR:-/tmp}/fashion-spark-standalone-$USER); --worker-hosts get the secret over ssh
#   --foreground    with --worker-only: run one worker in the foreground (under srun, which stops what it started)
# Stop it with deploy/standalone/stop-cluster.sh [--state-dir DIR].
set -euo pipefail
# shellcheck source=deploy/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

host="$(hostname -f 2>/dev/null || hostname)"
port=7077
ui_port=8080
workers=1
worker_cores=1
worker_memory=4g
worker_hosts=""
worker_only=false
foreground=false
master=""
state_dir="$(standalone_state_dir)"
wait_seconds=120

while [[ $# -gt 0 ]]; do
  case "$1" in
    --host) host="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --ui-port) ui_port="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --worker-cores) worker_cores="$2"; shift 2 ;;
    --worker-memory) worker_memory="$2"; shift 2 ;;
    --worker-hosts) worker_hosts="$2"; shift 2 ;;
    --worker-only) worker_only=true; shift ;;
    --foreground) foreground=true; shift ;;
    --master) master="$2"; shift 2 ;;
    --state-dir) state_dir="$2"; shift 2 ;;
    --wait) wait_seconds="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ "$workers" =~ ^[0-9]+$ ]] || die "--workers must be a number, not '$workers'"
[[ "$worker_cores" =~ ^[1-9][0-9]*$ ]] || die "--worker-cores must be a positive number, not '$worker_cores'"

mkdir -p "$state_dir/logs" && chmod 700 "$state_dir"
classpath="$(spark_classpath)"

# The cluster's shared secret: made once (256 random bits), kept for later starts; only its owner may read it.
secret_file="$state_dir/secret"
if [[ ! -s "$secret_file" ]]; then
  $worker_only && die "no cluster secret in $secret_file: start the master first (it writes one), or copy it there"
  (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$secret_file")
fi
chmod 600 "$secret_file"

# Spark's Worker builds each executor's class path from $SPARK_HOME/jars ("Cannot find any build directories"
# without it); with no distribution, a folder of links to the project's Spark jars stands in for one.
if [[ -n "${SPARK_HOME:-}" && -d "$SPARK_HOME/jars" ]]; then
  worker_spark_home="$SPARK_HOME"
else
  worker_spark_home="$state_dir/spark-home-$host"
  rm -rf "$worker_spark_home"
  mkdir -p "$worker_spark_home/jars"
  ln -s "$FS_ROOT"/target/lib/*.jar "$worker_spark_home/jars/"
fi

# What every daemon (and, through the Worker, every executor) started here sees.
export SPARK_HOME="$worker_spark_home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP="$host"
# Spark's daemons take the secret from this variable (a Worker hands it on to its executors the same way).
_SPARK_AUTH_SECRET="$(cat "$secret_file")"
export _SPARK_AUTH_SECRET
read -r -a daemon_java <<<"java $(java17_opens) -Xmx512m"
for setting in "${SECURE_SPARK_SETTINGS[@]}"; do
  daemon_java+=("-D$setting")
done
# No REST submission server (unauthenticated job submission: CVE-2018-11770), and no kill links in the web UIs,
# which Spark does not authenticate.
daemon_java+=(-Dspark.master.rest.enabled=false -Dspark.ui.killEnabled=false -cp "$classpath")

# Sets worker_args to a Worker's arguments; $1 is its work directory.
set_worker_args() {
  worker_args=(org.apache.spark.deploy.worker.Worker --host "$host" --cores "$worker_cores"
    --memory "$worker_memory" --webui-port 0 --work-dir "$1" "$master")
}

# One daemon JVM, in the background, its pid and log in the state dir. Spark's own INFO logging (its default
# configuration) is kept: the start-up waits below read it.
start_daemon() {
  local name="$1"; shift
  local log="$state_dir/logs/$name.log"
  nohup "${daemon_java[@]}" "$@" >"$log" 2>&1 &
  echo $! >"$state_dir/$name.pid"
  echo "started $name (pid $!), log $log"
}

# Waits until the log shows the line, or the process died, or time ran out.
wait_for_log() {
  local name="$1" pattern="$2" count="${3:-1}"
  local log="$state_dir/logs/$name.log" pid
  pid="$(cat "$state_dir/$name.pid")"
  for _ in $(seq "$wait_seconds"); do
    if [[ "$(grep -c -- "$pattern" "$log" 2>/dev/null || true)" -ge "$count" ]]; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || die "$name exited; see $log: $(tail -n 3 "$log")"
    sleep 1
  done
  die "$name did not log '$pattern' within ${wait_seconds}s; see $log"
}

if ! $worker_only; then
  master="spark://$host:$port"
  start_daemon master org.apache.spark.deploy.master.Master --host "$host" --port "$port" --webui-port "$ui_port"
  wait_for_log master "Starting Spark master at"
fi
[[ -n "$master" ]] || die "--worker-only needs --master spark://HOST:PORT"

if $foreground; then
  $worker_only || die "--foreground needs --worker-only"
  set_worker_args "$state_dir/work-$host"
  exec "${daemon_java[@]}" "${worker_args[@]}"
fi

for i in $(seq 1 "$workers"); do
  set_worker_args "$state_dir/work-$i"
  start_daemon "worker-$i" "${worker_args[@]}"
done
IFS=',' read -r -a remote_hosts <<<"$worker_hosts"
for remote in "${remote_hosts[@]}"; do
  [[ -n "$remote" ]] || continue
  echo "starting a worker on $remote over ssh"
  # The secret travels on ssh's standard input, never on a command line.
  # shellcheck disable=SC2029 # expanded here on purpose: the same paths on every host
  ssh "$remote" "umask 077 && mkdir -p '$state_dir' && cat >'$secret_file'" <"$secret_file"
  # shellcheck disable=SC2029
  ssh "$remote" "cd '$FS_ROOT' && deploy/standalone/start-cluster.sh --worker-only --master '$master' \
    --host '$remote' --workers 1 --worker-cores '$worker_cores' --worker-memory '$worker_memory' \
    --state-dir '$state_dir'"
done

for i in $(seq 1 "$workers"); do
  wait_for_log "worker-$i" "Successfully registered with master"
done
if ! $worker_only; then
  expected=$((workers + ${#remote_hosts[@]}))
  wait_for_log master "Registering worker" "$expected"
  echo "cluster up: $expected worker(s) x $worker_cores core(s) at $master, authenticated and encrypted"
  echo "secret: $secret_file (submit.sh reads it; give it to no one else)"
  echo "web UI: http://$host:$ui_port has no login; from your machine reach it through ssh:"
  echo "  ssh -N -L $ui_port:$host:$ui_port $(id -un)@$host   then open http://localhost:$ui_port"
  echo "$master" >"$state_dir/master-url"
fi
