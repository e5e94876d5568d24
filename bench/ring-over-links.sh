#!/usr/bin/env bash
# Measures the peer exchange's rounds over real, rate-limited links, and predicts them with the cost model fitted on
# the loopback: a standalone cluster whose master and driver sit in one network namespace and whose one-core
# workers sit in one namespace each, every namespace behind its own veth pair into a bridge, each end of each pair
# shaped with tc's token bucket. Each executor reads its own interface's counters around every all-reduce, so the
# report shows the bytes each one sent per round as the ring grows.
#
#   bench/ring-over-links.sh [--rate 200mbit] [--workers 8] [--worker-counts 2,4,8] [--rounds 4] [--repeats 2]
#                            [--pin] [--fit-from FILE] [--output FILE]
#
# --pin starts worker i's daemon, and so its executor, on core (i - 1) mod nproc (taskset), so that with as many
# workers as cores each executor has a core of its own, as on a cluster of one-core nodes.
# Root only (it makes namespaces, veth pairs and qdiscs); everything it makes is removed on exit. Traffic stays
# inside the namespaces it makes (10.78.0.0/24). Needs the built jar (mvn -B package -DskipTests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rate=200mbit
workers=8
counts=2,4,8
rounds=4
repeats=2
pin=
fit_from=bench/results/round-cost/2026-12-05-warm.json
output=bench/results/round-cost/$(date -u +%F)-link.md
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --worker-counts) counts="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --pin) pin=1; shift ;;
    --fit-from) fit_from="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ring-over-links: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $EUID -eq 0 ]] || { echo "ring-over-links: run as root: it makes network namespaces" >&2; exit 2; }
[[ -s "$fit_from" ]] || { echo "ring-over-links: $fit_from: no loopback measurement to fit on" >&2; exit 2; }
[[ "$rate" =~ ^([0-9]+)mbit$ ]] || { echo "ring-over-links: --rate must be like 200mbit, got $rate" >&2; exit 2; }
gbps="$(awk -v m="${BASH_REMATCH[1]}" 'BEGIN { printf "%.3f", m / 1000 }')"

prefix=fsl
state="$(mktemp -d "${TMPDIR:-/tmp}/ring-over-links.XXXXXX")"
nodes=(d)
for i in $(seq 1 "$workers"); do nodes+=("w$i"); done

cleanup() {
  for node in "${nodes[@]}"; do
    if [[ -d "$state/$node" ]]; then
      deploy/standalone/stop-cluster.sh --state-dir "$state/$node" >/dev/null 2>&1 || true
    fi
  done
  for node in "${nodes[@]}" hub; do
    ip netns del "$prefix-$node" 2>/dev/null || true
  done
  rm -rf "$state"
}
trap cleanup EXIT

address() {
  if [[ "$1" == d ]]; then echo 10.78.0.1; else echo "10.78.0.$((10 + ${1#w}))"; fi
}

ip netns add "$prefix-hub"
ip -n "$prefix-hub" link add br0 type bridge
ip -n "$prefix-hub" link set br0 up
for node in "${nodes[@]}"; do
  ns="$prefix-$node"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip link add eth0 netns "$ns" type veth peer name "v-$node" netns "$prefix-hub"
  ip -n "$ns" addr add "$(address "$node")/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$prefix-hub" link set "v-$node" master br0 up
  # Both directions shaped: what the node sends (its end) and what it receives (the bridge's end).
  ip netns exec "$ns" tc qdisc add dev eth0 root tbf rate "$rate" burst 256kb latency 50ms
  ip netns exec "$prefix-hub" tc qdisc add dev "v-$node" root tbf rate "$rate" burst 256kb latency 50ms
done

master="spark://10.78.0.1:7277"
mkdir -p "$state/d"
ip netns exec "$prefix-d" deploy/standalone/start-cluster.sh --host 10.78.0.1 --port 7277 --ui-port 8280 \
  --workers 0 --state-dir "$state/d" >/dev/null
for i in $(seq 1 "$workers"); do
  mkdir -p "$state/w$i"
  (umask 077 && cp "$state/d/secret" "$state/w$i/secret")
  # A daemon's children inherit its CPU affinity: the executor it launches runs on the same core.
  on_core=()
  [[ -n "$pin" ]] && on_core=(taskset -c "$(( (i - 1) % $(nproc) ))")
  ip netns exec "$prefix-w$i" "${on_core[@]}" deploy/standalone/start-cluster.sh --worker-only --master "$master" \
    --host "$(address "w$i")" --workers 1 --worker-cores 1 --worker-memory 3g --state-dir "$state/w$i" >/dev/null
done
echo "ring-over-links: $workers one-core workers, each behind a $rate veth, master and driver at 10.78.0.1"

measured="$state/links.md"
ip netns exec "$prefix-d" env SPARK_MASTER="$master" SPARK_LOCAL_IP=10.78.0.1 STATE_DIR="$state/d" \
  EXECUTOR_MEMORY=1g deploy/standalone/submit.sh round-cost --exchanges allreduce --models cnn,dnn \
  --workers "$workers" --worker-counts "$counts" --steps 1 --rounds "$rounds" --repeats "$repeats" --output "$measured"
json="${output%.md}.json"
cp "$state/links.json" "$json"
pinned=""
[[ -n "$pin" ]] && pinned=" --pin"
sharing="all the executors share this machine's cores, as on the loopback."
[[ -n "$pin" ]] && sharing="each worker's daemon and executor pinned to core (i - 1) mod $(nproc) with taskset, the \
master and the driver on any core."
setup="A network namespace for the master and the driver (10.78.0.1) and one for each one-core worker \
(10.78.0.11 and up), each behind its own veth pair into a bridge in a namespace of its own; both ends of every pair \
shaped with \`tc qdisc add dev <end> root tbf rate $rate burst 256kb latency 50ms\`, so every executor sends and \
receives at $rate at most. Made and removed by \`bench/ring-over-links.sh --rate $rate --workers $workers \
--worker-counts $counts --rounds $rounds --repeats $repeats$pinned\`; $sharing"
bin/fashion-spark round-cost --from "$json" --fit-from "$fit_from" --link-gbps "$gbps" --setup "$setup" \
  --output "$output"
