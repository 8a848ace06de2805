#!/usr/bin/env bash
# Runs the whole system on this machine, no Kubernetes cluster needed: the coordinator broker
# (Kafka protocol on 127.0.0.1:9092), a mock Kubernetes API with the CRDs, the operator (HTTP on
# 127.0.0.1:8080), a ConsumerGroupPolicy and a LagMonitor, and a live workload; prints the
# policy's status every 10 seconds. Ctrl-C stops it.
#   KAFKA_PORT=19092 HTTP_PORT=18080 ./run-local.sh    to use other ports
set -euo pipefail
cd "$(dirname "$0")"
exec ./mvnw -B -q -DskipTests -Plocal -pl e2e -am package \
  -Dgroupwarden.kafkaPort="${KAFKA_PORT:-9092}" -Dgroupwarden.httpPort="${HTTP_PORT:-8080}"
