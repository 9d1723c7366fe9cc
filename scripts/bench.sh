#!/usr/bin/env bash
# Runs every Rivulet benchmark and writes the results table and chart to benchmarks/results/:
#
#   scripts/bench.sh short   # a few minutes on 2 cores: every JMH benchmark briefly, latency per
#                            # backend (~2 min), I/O scaling, a 1 M message backlog
#                            #   -> benchmarks/results/summary-short.{md,png}, latency-short.png
#   scripts/bench.sh long    # tens of minutes: longer JMH runs and latency rounds, a 10 M message backlog
#                            #   -> benchmarks/results/summary-long.{md,png}, latency-long.png
#
# Extra arguments go to JMH (e.g. a benchmark regex: scripts/bench.sh short OperatorOverhead).
# Services (Redis, RabbitMQ) are set up as for the tests; Kafka benchmarks start their own broker.
set -euo pipefail

cd "$(dirname "$0")/.."

profile=${1:-short}
shift || true
case "$profile" in
    short) jmh_opts=(-f 1 -wi 2 -w 1 -i 3 -r 1); waits_per_slot=20; backlog=1000000; backlog_direct=1g; peers=50000; kafka=(100000 3); rabbit=(20000 3); latency=(150 1000 1500 4) ;;
    long)  jmh_opts=(-f 1 -wi 3 -w 2 -i 5 -r 3); waits_per_slot=200; backlog=10000000; backlog_direct=3g; peers=500000; kafka=(200000 5); rabbit=(100000 7); latency=(1000 1000 10000 6) ;;
    *) printf 'usage: scripts/bench.sh short|long [JMH arguments]\n' >&2; exit 2 ;;
esac

. scripts/services.sh
ensure_services

log "building the benchmarks"
./mvnw -B -q -pl benchmarks -am package -DskipTests

jar=benchmarks/target/benchmarks.jar
parts=benchmarks/target/bench-$profile
rm -rf "$parts"
mkdir -p "$parts"

log "JMH ($profile profile)"
java -jar "$jar" "${jmh_opts[@]}" -prof gc -rf json -rff "$parts/jmh.json" "$@"

log "Redis peers: Rivulet, BullMQ, Redisson ($peers messages each)"
command -v npm >/dev/null || apt_install nodejs npm
(cd benchmarks/peers/bullmq && npm install --no-package-lock --no-audit --no-fund --loglevel=error)
java -cp "$jar" io.rivulet.benchmarks.harness.Harness peers "$peers" benchmarks/peers/bullmq "$parts"

log "Kafka: Rivulet vs raw kafka-clients (own KRaft broker)"
java -Drivulet.kafka.broker.classpath=kafka/test-broker/target/broker-classpath.txt \
     -Drivulet.kafka.broker.dir=benchmarks/target/kafka-broker \
     -cp "$jar" io.rivulet.benchmarks.kafka.KafkaThroughput "${kafka[@]}" | tee "$parts/kafka.txt"

log "RabbitMQ: Rivulet vs raw amqp-client"
java -cp "$jar" io.rivulet.benchmarks.rabbit.RabbitPeerBenchmark "${rabbit[@]}" | tee "$parts/rabbit.txt"

# Ping-pong messages, open-loop msgs/s, open-loop ms, rounds (per side and backend).
log "latency: Rivulet vs raw clients, memory / Redis / Kafka (own KRaft broker) / RabbitMQ"
java -Drivulet.kafka.broker.classpath=kafka/test-broker/target/broker-classpath.txt \
     -Drivulet.kafka.broker.dir=benchmarks/target/kafka-broker \
     -cp "$jar" io.rivulet.benchmarks.harness.Harness latency "${latency[@]}" "$parts"

log "I/O-bound scaling"
java -cp "$jar" io.rivulet.benchmarks.harness.Harness io-scaling "$waits_per_slot" "$parts"

# In a 256 MB heap: the backlog beyond MemoryOptions.heapBacklog is kept in direct memory.
log "draining a backlog of $backlog messages"
java -Xmx256m -XX:MaxDirectMemorySize="$backlog_direct" -cp "$jar" io.rivulet.benchmarks.harness.Harness backlog "$backlog" "$parts"

java -cp "$jar" io.rivulet.benchmarks.harness.Harness report "$profile" "$parts/jmh.json" "$parts" benchmarks/results
