#!/usr/bin/env bash
# Runs every test of Rivulet from a fresh clone: makes sure the services the tests talk to are
# installed and running on loopback (Redis on 6379, RabbitMQ on 5672), then runs the Maven build.
# Kafka needs nothing here: the kafka module's tests start a real KRaft broker themselves.
#
#   scripts/test.sh            # all modules, all tests
#   scripts/test.sh -pl core   # extra arguments go to Maven
set -euo pipefail

cd "$(dirname "$0")/.."

. scripts/services.sh
ensure_services

exec ./mvnw -B verify "$@"
