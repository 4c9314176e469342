#!/usr/bin/env bash
# Measures the server's start-up: seconds from `java -jar` to the first 200 on /fhir/metadata,
# and the process RSS right then. Runs N times (default 3) on a fresh data directory and on the
# data directory left by the previous run. Needs the jar: ./mvnw -q -DskipTests package
# Usage: bench/startup.sh [runs] [jar]
set -euo pipefail
runs=${1:-3}
jar=${2:-fhir-server/target/seedtrace.jar}
port=${PORT:-18080}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # $1 = data dir; prints "seconds rss_mb"
  local start end pid rss
  start=$(date +%s.%N)
  java -jar "$jar" --server.port="$port" --seedtrace.data-dir="$1" >"$work/log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://localhost:$port/fhir/metadata"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "server died; see log:" >&2; tail -30 "$work/log" >&2; exit 1; fi
    sleep 0.2
  done
  end=$(date +%s.%N)
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -v a="$start" -v b="$end" -v r="$rss" 'BEGIN { printf "%.2f %d\n", b - a, r }'
}

echo "jar: $(du -m "$jar" | cut -f1) MB"
for kind in fresh existing; do
  results=()
  for i in $(seq 1 "$runs"); do
    dir="$work/data-$kind-$i"
    [ "$kind" = existing ] && dir="$work/data-fresh-$i"
    results+=("$(measure "$dir")")
  done
  printf '%s\n' "${results[@]}" | sort -n | awk -v kind="$kind" '
    { s[NR]=$1; r[NR]=$2 }
    END { n=NR; med=(n%2)? s[(n+1)/2] : (s[n/2]+s[n/2+1])/2;
          rmin=r[1]; rmax=r[1]; for(i=1;i<=n;i++){ if(r[i]<rmin) rmin=r[i]; if(r[i]>rmax) rmax=r[i] }
          printf "%s data dir: first /fhir/metadata after median %.1f s (min %.1f, max %.1f); RSS %d-%d MB\n", kind, med, s[1], s[n], rmin, rmax }'
done
