#!/usr/bin/env bash
# Runs the whole system on this machine, no Kubernetes cluster needed, everything on 127.0.0.1:
# the coordinator broker (Kafka protocol on port 9092), a mock Kubernetes API with the CRDs, the
# operator (dashboard, metrics and insight API on port 8080), a ConsumerGroupPolicy, a Kafka
# LagMonitor, a MongoSink whose workers (java -jar sink.jar) write into an in-process MongoDB wire
# store, a Redis Streams LagMonitor when redis-server is on the PATH, and a live workload; prints
# the dashboard URL with its token, then the status every 10 seconds. Ctrl-C stops everything and
# removes the temporary directory.
#   KAFKA_PORT=19092 HTTP_PORT=18080 ./run-local.sh    to use other ports
set -euo pipefail
cd "$(dirname "$0")"
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
echo "building (./mvnw -B -q -DskipTests -pl e2e -am package)..."
if ! ./mvnw -B -q -DskipTests -pl e2e -am package dependency:build-classpath \
    -Dmdep.outputFile=target/runtime.classpath -Dmdep.includeScope=runtime >"$build_log" 2>&1; then
  cat "$build_log"
  exit 1
fi
rm -f "$build_log"
trap - EXIT
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" \
  -Dgroupwarden.kafkaPort="${KAFKA_PORT:-9092}" -Dgroupwarden.httpPort="${HTTP_PORT:-8080}" \
  -Dgroupwarden.sinkJar=sink-image/target/sink.jar \
  -cp "e2e/target/classes:$(cat e2e/target/runtime.classpath)" io.groupwarden.e2e.LocalRunner
