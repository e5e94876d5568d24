#!/usr/bin/env bash
# Submits a fashion-spark job to YARN. Arguments are the program's (train ...).
#   export HADOOP_CONF_DIR=/etc/hadoop/conf
#   deploy/yarn/submit.sh train --model cnn --workers 4 \
#       --data hdfs:///datasets/fashion-mnist --output hdfs:///user/$USER/runs/cnn-1
# Runs on the project's own jars, no Spark installation: target/lib (Spark with spark-yarn, Scala, Hadoop's
# client; mvn package puts them there) runs spark-submit here and, uploaded by Spark's client to the
# application's staging directory with the job jar (spark.yarn.jars), the driver and executors in the YARN
# containers. With SPARK_HOME set to a Spark 3.5.9 (Scala 2.12) distribution, its spark-submit and jars are used.
# Needs the cluster's Hadoop configuration (HADOOP_CONF_DIR or YARN_CONF_DIR). Data and --output should be
# hdfs:// (or another shared file system): in cluster mode the driver runs in a YARN container.
# The training's --workers is the number of task slots: NUM_EXECUTORS x EXECUTOR_CORES (default: --workers
# executors of 1 core). Each executor asks YARN for EXECUTOR_MEMORY heap + spark.executor.memoryOverhead
# (conf/spark-defaults.conf: ND4J's off-heap memory; YARN kills a container that exceeds the sum).
# Authenticated and encrypted: YARN hands each application's secret, which Spark makes, to its containers.
# Environment: DEPLOY_MODE (cluster|client, default cluster), QUEUE, EXECUTOR_CORES, NUM_EXECUTORS,
# EXECUTOR_MEMORY, DRIVER_MEMORY, SPARK_HOME, FASHION_SPARK_JAR.
set -euo pipefail
# shellcheck source=deploy/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

[[ -n "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]] || die "set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the cluster's Hadoop configuration"
[[ $# -gt 0 ]] || die "give the program's arguments, e.g. train --model dnn --data hdfs:///datasets/fashion-mnist"
jar="$(require_jar)"
cores="${EXECUTOR_CORES:-1}"
workers="$(app_workers "$@")"
executors="${NUM_EXECUTORS:-$(executor_count "$workers" "$cores")}"

queue_args=()
[[ -n "${QUEUE:-}" ]] && queue_args=(--queue "$QUEUE")
# The containers' Spark: without spark.yarn.jars (or spark.yarn.archive) Spark's client zips $SPARK_HOME/jars, so
# without a distribution it is given the jars this script runs on.
jars_args=()
[[ -z "${SPARK_HOME:-}" ]] && jars_args=(--conf "spark.yarn.jars=$FS_ROOT/target/lib/*.jar")

spark_submit --master yarn --deploy-mode "${DEPLOY_MODE:-cluster}" "${queue_args[@]}" "${jars_args[@]}" \
  --class io.fashionspark.cli.Main \
  --num-executors "$executors" --executor-cores "$cores" \
  --executor-memory "${EXECUTOR_MEMORY:-2g}" --driver-memory "${DRIVER_MEMORY:-2g}" \
  --conf spark.executorEnv.OMP_NUM_THREADS=1 \
  --conf spark.yarn.maxAppAttempts=1 \
  "${SECURE_SUBMIT_CONF[@]}" \
  "$jar" "$@"
