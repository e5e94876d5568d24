#!/usr/bin/env bash
# Submits a fashion-spark job to a Spark standalone cluster. Arguments are the program's (train ...).
#   SPARK_MASTER=spark://HOST:7077 deploy/standalone/submit.sh train --model cnn --workers 4 --output /shared/runs/a
# The training's --workers is the number of task slots it uses: the script asks for that many executor cores
# (EXECUTOR_CORES per executor, default 1). Data and --output must be paths every executor host and the driver
# can read (a shared file system or hdfs://); in client mode (the default) the driver runs here.
# Environment: SPARK_MASTER (default: the URL start-cluster.sh wrote), EXECUTOR_CORES, EXECUTOR_MEMORY,
# DRIVER_MEMORY, DEPLOY_MODE (client|cluster), SPARK_HOME (use its spark-submit), FASHION_SPARK_JAR.
set -euo pipefail
# shellcheck source=deploy/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

state_dir="${TMPDIR:-/tmp}/fashion-spark-standalone-${USER:-$(id -un)}"
master="${SPARK_MASTER:-$(cat "$state_dir/master-url" 2>/dev/null || true)}"
[[ "$master" == spark://* ]] || die "set SPARK_MASTER=spark://HOST:PORT (or start a cluster with deploy/standalone/start-cluster.sh)"
[[ $# -gt 0 ]] || die "give the program's arguments, e.g. train --model dnn (see: java -jar $(job_jar) --help)"
jar="$(require_jar)"
cores="${EXECUTOR_CORES:-1}"
workers="$(app_workers "$@")"

spark_submit --master "$master" --deploy-mode "${DEPLOY_MODE:-client}" \
  --class io.fashionspark.cli.Main \
  --total-executor-cores "$workers" --executor-cores "$cores" \
  --executor-memory "${EXECUTOR_MEMORY:-2g}" --driver-memory "${DRIVER_MEMORY:-2g}" \
  --conf spark.executorEnv.OMP_NUM_THREADS=1 \
  "$jar" "$@"
