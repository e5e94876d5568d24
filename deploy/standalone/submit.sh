#!/usr/bin/env bash
# Submits a fashion-spark job to a Spark standalone cluster. Arguments are the program's (train ...).
#   SPARK_MASTER=spark://HOST:7077 deploy/standalone/submit.sh train --model cnn --workers 4 --output /shared/runs/a
# The training's --workers is the number of task slots it uses: the script asks for that many executor cores
# (EXECUTOR_CORES per executor, default 1). Data and --output must be paths every executor host and the driver
# can read (a shared file system or hdfs://); in client mode (the default) the driver runs here.
# The job authenticates with the cluster's secret (the file start-cluster.sh wrote) and encrypts its traffic.
# Environment: SPARK_MASTER (default: the URL start-cluster.sh wrote), STATE_DIR (start-cluster.sh's --state-dir),
# SPARK_SECRET_FILE (default: STATE_DIR/secret), EXECUTOR_CORES, EXECUTOR_MEMORY, DRIVER_MEMORY,
# DEPLOY_MODE (client|cluster), SPARK_CONF ("key=value ..." extra settings), SPARK_HOME (use its spark-submit),
# FASHION_SPARK_JAR.
set -euo pipefail
# shellcheck source=deploy/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

state_dir="$(standalone_state_dir)"
master="${SPARK_MASTER:-$(cat "$state_dir/master-url" 2>/dev/null || true)}"
[[ "$master" == spark://* ]] || die "set SPARK_MASTER=spark://HOST:PORT (or start a cluster with deploy/standalone/start-cluster.sh)"
[[ $# -gt 0 ]] || die "give the program's arguments, e.g. train --model dnn (see: java -jar $(job_jar) --help)"
secret_file="${SPARK_SECRET_FILE:-$state_dir/secret}"
[[ -r "$secret_file" && -s "$secret_file" ]] || die "no cluster secret in $secret_file: start-cluster.sh writes it \
there (set STATE_DIR to its --state-dir); for a cluster started otherwise set SPARK_SECRET_FILE to a file holding \
its spark.authenticate.secret"
jar="$(require_jar)"
cores="${EXECUTOR_CORES:-1}"
workers="$(app_workers "$@")"

# The driver's settings with the secret, in a file only this user can read, removed when the job ends.
PROPERTIES_FILE="$(umask 077 && mktemp "${TMPDIR:-/tmp}/fashion-spark-submit.XXXXXX")"
trap 'rm -f "$PROPERTIES_FILE"' EXIT
{
  cat "$FS_ROOT/conf/spark-defaults.conf"
  echo
  for setting in "${SECURE_SPARK_SETTINGS[@]}"; do
    echo "${setting%%=*} ${setting#*=}"
  done
  echo "spark.authenticate.secret $(cat "$secret_file")"
} >"$PROPERTIES_FILE"
export PROPERTIES_FILE

# The bench module's commands run from its jar, with the job jar beside it on the driver and the executors.
main_class=io.fashionspark.cli.Main
app_jar="$jar"
extra_jars=()
if is_bench_command "${1:-}"; then
  main_class="$BENCH_MAIN"
  app_jar="$(require_bench_jar)"
  extra_jars=(--jars "$jar")
fi

spark_submit --master "$master" --deploy-mode "${DEPLOY_MODE:-client}" \
  --class "$main_class" "${extra_jars[@]}" \
  --total-executor-cores "$workers" --executor-cores "$cores" \
  --executor-memory "${EXECUTOR_MEMORY:-2g}" --driver-memory "${DRIVER_MEMORY:-2g}" \
  --conf spark.executorEnv.OMP_NUM_THREADS=1 \
  "$app_jar" "$@"
