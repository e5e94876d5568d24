# shellcheck shell=bash
# Sourced by the deploy scripts: where the project, its job jar and Spark are, and how to call spark-submit.
# Nothing here hard-codes a host or a jar name: the jar name is the build's <finalName> in product/pom.xml.

FS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
  echo "fashion-spark deploy: $*" >&2
  exit 2
}

# The job jar the build makes: target/<finalName>.jar (override with FASHION_SPARK_JAR).
job_jar() {
  if [[ -n "${FASHION_SPARK_JAR:-}" ]]; then
    echo "$FASHION_SPARK_JAR"
    return
  fi
  local name
  name="$(sed -n 's:.*<finalName>\(.*\)</finalName>.*:\1:p' "$FS_ROOT/product/pom.xml" | head -n 1)"
  [[ -n "$name" ]] || die "no <finalName> in $FS_ROOT/product/pom.xml"
  echo "$FS_ROOT/target/$name.jar"
}

require_jar() {
  local jar
  jar="$(job_jar)"
  [[ -f "$jar" ]] || die "$jar not found; build it first: mvn -B -DskipTests package"
  echo "$jar"
}

# The bench module's commands (bench, scaling, round-cost) measure the product; they are not in the job jar but in
# bench/target/fashion-spark-bench.jar (override with FASHION_SPARK_BENCH_JAR), which runs with the job jar.
# shellcheck disable=SC2034 # read by the scripts that source this file
BENCH_MAIN=io.fashionspark.bench.cli.BenchMain

is_bench_command() {
  case "${1:-}" in
    bench | scaling | round-cost) return 0 ;;
    *) return 1 ;;
  esac
}

require_bench_jar() {
  local jar="${FASHION_SPARK_BENCH_JAR:-$FS_ROOT/bench/target/fashion-spark-bench.jar}"
  [[ -f "$jar" ]] || die "$jar not found; build it first: mvn -B -DskipTests package"
  echo "$jar"
}

# spark.driver.extraJavaOptions of conf/spark-defaults.conf: what spark-submit's launcher would give a client-mode
# driver JVM (the Java 17 opens, ND4J's native build and memory cap).
driver_java_options() {
  sed -n 's/^spark\.driver\.extraJavaOptions[[:space:]]*//p' "$FS_ROOT/conf/spark-defaults.conf"
}

# Just the Java 17 --add-opens/--add-exports options of that list, for Spark's own daemons.
java17_opens() {
  driver_java_options | tr ' ' '\n' | grep -E '^--add-(opens|exports)=' | tr '\n' ' '
}

# Spark's jars: a Spark distribution's ($SPARK_HOME/jars) or, without one, the project's own provided
# dependencies (target/lib, copied there by `mvn package`).
spark_classpath() {
  if [[ -n "${SPARK_HOME:-}" && -d "$SPARK_HOME/jars" ]]; then
    echo "$SPARK_HOME/jars/*"
  else
    [[ -d "$FS_ROOT/target/lib" ]] || die "$FS_ROOT/target/lib not found (Spark's jars); run mvn -B -DskipTests package, or set SPARK_HOME"
    echo "$FS_ROOT/target/lib/*"
  fi
}

# HADOOP_CONF_DIR and YARN_CONF_DIR as classpath entries, as spark-submit's launcher adds them: the YARN client
# and hdfs:// read core-site.xml and yarn-site.xml from the classpath.
hadoop_conf_classpath() {
  local dir entries=""
  for dir in "${HADOOP_CONF_DIR:-}" "${YARN_CONF_DIR:-}"; do
    if [[ -n "$dir" ]]; then
      entries+="$dir:"
    fi
  done
  echo "$entries"
}

# spark-submit: the distribution's script when SPARK_HOME is set, otherwise the class it runs
# (org.apache.spark.deploy.SparkSubmit) on the project's own Spark jars. The properties file is
# conf/spark-defaults.conf (Kryo, the Java 17 options and the off-heap settings) unless PROPERTIES_FILE names
# another (submit.sh's copy of it with the cluster's secret). SPARK_CONF="key=value ..." adds --conf settings.
spark_submit() {
  local props="${PROPERTIES_FILE:-$FS_ROOT/conf/spark-defaults.conf}" extra=() kv
  for kv in ${SPARK_CONF:-}; do
    extra+=(--conf "$kv")
  done
  if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
    "$SPARK_HOME/bin/spark-submit" --properties-file "$props" "${extra[@]}" "$@"
  else
    # shellcheck disable=SC2046 # the options are separate words
    java $(driver_java_options) -Xmx"${DRIVER_MEMORY:-2g}" -cp "$(hadoop_conf_classpath)$(spark_classpath)" \
      -Dlog4j2.configurationFile="$FS_ROOT/conf/log4j2.properties" \
      org.apache.spark.deploy.SparkSubmit --properties-file "$props" "${extra[@]}" "$@"
  fi
}

# Where start-cluster.sh keeps a standalone cluster's pid files, logs, master URL and shared secret.
standalone_state_dir() {
  echo "${STATE_DIR:-${TMPDIR:-/tmp}/fashion-spark-standalone-${USER:-$(id -un)}}"
}

# What a secured standalone cluster and its applications share: authentication with the secret, and encryption
# of RPC traffic (AES-CTR, Spark 3.5's default cipher) and of the blocks Spark spills to local disk. The secret itself is never on a command
# line (where ps shows it): daemons read it from the environment, the driver from a file only its user can read.
# shellcheck disable=SC2034 # read by the scripts that source this file
SECURE_SPARK_SETTINGS=(spark.authenticate=true spark.network.crypto.enabled=true spark.io.encryption.enabled=true)
# The same as spark-submit options. On YARN and Kubernetes, Spark makes each application's secret itself.
SECURE_SUBMIT_CONF=()
for setting in "${SECURE_SPARK_SETTINGS[@]}"; do
  SECURE_SUBMIT_CONF+=(--conf "$setting")
done

# The value of --workers among the application's arguments, else the default in conf/fashion-spark.properties.
app_workers() {
  local prev=""
  for arg in "$@"; do
    case "$arg" in
      --workers=*) echo "${arg#--workers=}"; return ;;
    esac
    if [[ "$prev" == "--workers" ]]; then
      echo "$arg"
      return
    fi
    prev="$arg"
  done
  sed -n 's/^workers=//p' "$FS_ROOT/conf/fashion-spark.properties"
}

# Executors to ask for so that executors x cores = the training's worker count (one task slot per worker).
executor_count() {
  local workers="$1" cores="$2"
  echo $(((workers + cores - 1) / cores))
}
