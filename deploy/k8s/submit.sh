#!/usr/bin/env bash
# Submits a fashion-spark job to Kubernetes with spark-submit (no operator needed; for the Spark operator see
# deploy/k8s/spark-application.yaml). Arguments are the program's (train ...).
#   export SPARK_HOME=/opt/spark-3.5.9-bin-hadoop3
#   K8S_MASTER=k8s://https://<api-server>:6443 IMAGE=<registry>/fashion-spark:0.1.0 \
#     deploy/k8s/submit.sh train --model cnn --workers 2 --output hdfs:///runs/cnn-1
# The image is built from deploy/docker/Dockerfile (it holds the jar at /opt/fashion-spark/ and the data set at
# /usr/share/datasets/fashion-mnist). --output must outlive the driver pod: hdfs://, s3a://, or a mounted volume.
# Authenticated and encrypted: Spark makes the application's secret and gives it to the executor pods in their
# environment (limit who may read pods in the namespace).
# Environment: K8S_MASTER, IMAGE (required); NAMESPACE (default), SERVICE_ACCOUNT (spark), EXECUTOR_CORES,
# NUM_EXECUTORS, EXECUTOR_MEMORY, DRIVER_MEMORY.
set -euo pipefail
# shellcheck source=deploy/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

[[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]] \
  || die "set SPARK_HOME to a Spark 3.5 (Scala 2.12) distribution (Kubernetes support is not among the project's own jars)"
[[ "${K8S_MASTER:-}" == k8s://* ]] || die "set K8S_MASTER=k8s://https://<api-server>:<port>"
[[ -n "${IMAGE:-}" ]] || die "set IMAGE to the image built from deploy/docker/Dockerfile"
[[ $# -gt 0 ]] || die "give the program's arguments, e.g. train --model dnn --output hdfs:///runs/dnn-1"
# The jar inside the image: same name as the build's.
jar="local:///opt/fashion-spark/$(basename "$(job_jar)")"
cores="${EXECUTOR_CORES:-1}"
workers="$(app_workers "$@")"
executors="${NUM_EXECUTORS:-$(executor_count "$workers" "$cores")}"

spark_submit --master "$K8S_MASTER" --deploy-mode cluster \
  --name "fashion-spark" \
  --class io.fashionspark.cli.Main \
  --conf spark.kubernetes.container.image="$IMAGE" \
  --conf spark.kubernetes.namespace="${NAMESPACE:-default}" \
  --conf spark.kubernetes.authenticate.driver.serviceAccountName="${SERVICE_ACCOUNT:-spark}" \
  --conf spark.executor.instances="$executors" --conf spark.executor.cores="$cores" \
  --conf spark.kubernetes.executor.request.cores="$cores" \
  --executor-memory "${EXECUTOR_MEMORY:-2g}" --driver-memory "${DRIVER_MEMORY:-2g}" \
  --conf spark.executorEnv.OMP_NUM_THREADS=1 \
  "${SECURE_SUBMIT_CONF[@]}" \
  "$jar" "$@"
