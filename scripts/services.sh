# Makes sure the services Rivulet's tests and benchmarks talk to are installed and running on
# loopback: Redis on 6379, RabbitMQ on 5672. Sourced by test.sh and bench.sh; call ensure_services.
# Kafka needs nothing here: tests and benchmarks start a real KRaft broker themselves.

log() { printf '[%s] %s\n' "$(basename "$0")" "$*"; }
fail() { printf '[%s] ERROR: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

apt_install() {
    log "installing $* from Debian's packages"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        || fail "apt-get update failed; install $* by hand"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
        || fail "apt-get install $* failed; install it by hand"
}

# Waits up to $1 seconds for the command in the remaining arguments to succeed.
wait_for() {
    local seconds=$1; shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.5
    done
}

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG; }

ensure_redis() {
    command -v redis-server >/dev/null || apt_install redis-server redis-tools
    command -v redis-cli >/dev/null || apt_install redis-tools
    if redis_up >/dev/null 2>&1; then return; fi
    log "starting Redis on 127.0.0.1:6379"
    as_root mkdir -p /var/lib/redis /var/log/redis
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
        --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for 30 redis_up || fail "Redis did not answer PING on 127.0.0.1:6379 within 30 s (see /var/log/redis/ci.log)"
}

rabbit_up() { as_root /usr/sbin/rabbitmq-diagnostics -q check_port_connectivity; }

ensure_rabbit() {
    [ -x /usr/sbin/rabbitmq-server ] || apt_install rabbitmq-server
    if rabbit_up >/dev/null 2>&1; then return; fi
    log "starting RabbitMQ on 127.0.0.1:5672"
    as_root /usr/sbin/rabbitmq-server -detached || true
    wait_for 90 rabbit_up || fail "RabbitMQ did not accept connections on 5672 within 90 s (rabbitmq-diagnostics status tells why)"
}

ensure_services() {
    command -v java >/dev/null || fail "no java on PATH: install a JDK 17 or newer"
    ensure_redis
    ensure_rabbit
    log "services ready: Redis 127.0.0.1:6379, RabbitMQ 127.0.0.1:5672"
}
