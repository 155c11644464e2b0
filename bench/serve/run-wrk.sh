#!/usr/bin/env bash
# Load benchmark of nn4j serve with wrk: starts the server on the given model with the given batching, warms it up,
# runs wrk (64 connections, 30 s by default) against /v2/models/<name>/infer with one 784-float image per request,
# prints wrk's report (throughput, latency percentiles, errors) and stops the server.
#
#   bench/serve/run-wrk.sh MODEL.safetensors MAX_BATCH MAX_WAIT_MS [DURATION_S] [CONNECTIONS]
#   bench/serve/run-wrk.sh /tmp/x/model.safetensors 1 0       # no batching
#   bench/serve/run-wrk.sh /tmp/x/model.safetensors 32 2      # dynamic batching
#
# Needs wrk (Debian: apt-get install -y wrk) and the nn4j jar (./nn4j builds it). Extra server options can be passed in
# NN4J_SERVE_OPTS (e.g. "--keys keys.txt" with NN4J_KEY=<key> for the requests); wrk's thread count in
# NN4J_WRK_THREADS (default 2; wrk shares this machine's cores with the server); the warm-up's length in seconds in
# NN4J_WRK_WARMUP (default 20). NN4J_WRK_NUMBERS=python writes the pixels with 17 digits, as Python does; NN4J_WRK_SCRIPT=infer-binary.lua
# sends the same image with the binary tensor data extension instead of JSON numbers.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
model="$1"; batch="$2"; wait_ms="$3"; duration="${4:-30}"; conns="${5:-64}"
port="${NN4J_BENCH_PORT:-18080}"
wrk_threads="${NN4J_WRK_THREADS:-2}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
log="$(mktemp)"
"$root/nn4j" serve --model "mlp=$model" --port "$port" --max-batch "$batch" --max-wait-ms "$wait_ms" \
  --reload-poll-ms 0 ${NN4J_SERVE_OPTS:-} >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
echo "# nn4j serve --max-batch $batch --max-wait-ms $wait_ms; wrk -t$wrk_threads -c$conns -d${duration}s --latency -s ${NN4J_WRK_SCRIPT:-infer.lua}"
# warm-up: let the JIT compile the request path and the kernels before measuring. 20 s by default: under full load
# C2 was still compiling request-path methods 12 s in (-XX:+PrintCompilation), at up to 18 % of the CPU (perf).
wrk -t"$wrk_threads" -c"$conns" -d"${NN4J_WRK_WARMUP:-20}s" -s "$root/bench/serve/${NN4J_WRK_SCRIPT:-infer.lua}" "http://127.0.0.1:$port/v2/models/mlp/infer" >/dev/null
wrk -t"$wrk_threads" -c"$conns" -d"${duration}s" --latency -s "$root/bench/serve/${NN4J_WRK_SCRIPT:-infer.lua}" "http://127.0.0.1:$port/v2/models/mlp/infer"
