#!/usr/bin/env bash
# Interleaved load runs of several nn4j jars (e.g. two commits' nn4j-cli/target/nn4j.jar copied aside): for each round,
# each jar serves MODEL on its own, gets 10 s of warm-up load, then DURATION s of wrk at 64 connections; one line per
# run with requests/s, p50, p90, p99 and any errors. Interleaving matters on a machine whose speed drifts over minutes.
#
#   bench/serve/compare-wrk.sh MODEL.safetensors DURATION_S ROUNDS JAR [JAR ...]
#   MAX_BATCH=32 MAX_WAIT_MS=2 NN4J_WRK_THREADS=2 bench/serve/compare-wrk.sh runs/readme/model.safetensors 30 2 /tmp/old.jar /tmp/new.jar
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/java-env.sh"
model="$1"; duration="$2"; rounds="$3"; shift 3
port="${NN4J_BENCH_PORT:-18082}" wrk_threads="${NN4J_WRK_THREADS:-2}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
url="http://127.0.0.1:$port/v2/models/mlp/infer"
for round in $(seq 1 "$rounds"); do
  for jar in "$@"; do
    "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -jar "$jar" serve --model "mlp=$model" \
      --port "$port" --max-batch "${MAX_BATCH:-32}" --max-wait-ms "${MAX_WAIT_MS:-2}" --reload-poll-ms 0 >/dev/null 2>&1 &
    server=$!
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break; sleep 0.2; done
    wrk -t"$wrk_threads" -c64 -d"${NN4J_WRK_WARMUP:-20}s" -s "$root/bench/serve/${NN4J_WRK_SCRIPT:-infer.lua}" "$url" >/dev/null
    out="$(wrk -t"$wrk_threads" -c64 -d"${duration}s" --latency -s "$root/bench/serve/${NN4J_WRK_SCRIPT:-infer.lua}" "$url")"
    pct() { echo "$out" | awk -v p="$1%" '$1 == p {print $2}'; }
    echo "round $round $jar: $(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s, p50 $(pct 50) p90 $(pct 90) p99 $(pct 99)" \
      "$(echo "$out" | grep -E 'Non-2xx|Socket errors' | tr '\n' ' ')"
    kill "$server"; wait "$server" 2>/dev/null || true
  done
done
