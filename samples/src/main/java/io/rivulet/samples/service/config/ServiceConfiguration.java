package io.rivulet.samples.service.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rivulet.core.Broker;
import io.rivulet.core.Worker;
import io.rivulet.samples.service.events.EventFeed;
import io.rivulet.samples.service.orders.Inventory;
import io.rivulet.samples.service.orders.OrderHandlers;
import io.rivulet.samples.service.orders.OrderService;
import io.rivulet.samples.service.users.UserService;
import io.rivulet.samples.service.web.AdminTokenFilter;
import io.rivulet.samples.service.web.ReadinessProbe;
import io.rivulet.samples.service.worker.HandlerCatalog;
import io.rivulet.samples.service.worker.WorkerService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The worker service's beans: metrics registry, broker, workers, demos, probes. */
@Configuration(proxyBeanMethods = false)
public class ServiceConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceConfiguration.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** The handler-duration histogram's buckets: the usual Prometheus latency buckets, up to a minute. */
    public static final Duration[] HANDLER_BUCKETS = Stream.of(5L, 10L, 25L, 50L, 100L, 250L, 500L, 1_000L, 2_500L,
            5_000L, 10_000L, 30_000L, 60_000L).map(Duration::ofMillis).toArray(Duration[]::new);

    /**
     * The Prometheus registry behind {@code /metrics}: Rivulet's meters plus JVM and process ones.
     * Rivulet's handler timer asks for a percentile histogram (about 70 buckets per topic and
     * outcome); here it gets {@link #HANDLER_BUCKETS} instead, which keeps a scrape small.
     */
    @Bean
    public PrometheusMeterRegistry prometheusMeterRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("rivulet.handler.duration")) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(false)
                        .serviceLevelObjectives(Stream.of(HANDLER_BUCKETS).mapToDouble(Duration::toNanos).toArray())
                        .build()
                        .merge(config);
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** Binds the GC meters; closed with the context. */
    @Bean
    public JvmGcMetrics jvmGcMetrics(PrometheusMeterRegistry registry) {
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    /** The broker of {@code rivulet.backend}; closed by {@link #brokerCloser} when the context closes. */
    @Bean(destroyMethod = "")
    public Broker broker(ServiceProperties properties, PrometheusMeterRegistry registry) {
        Broker broker = BrokerFactory.create(properties, registry);
        LOG.info("Using the {} backend {} (broker '{}')", broker.backend(), BrokerFactory.address(properties),
                properties.brokerName());
        return broker;
    }

    /** Closes the broker after the workers stopped. */
    @Bean
    public DisposableBean brokerCloser(Broker broker) {
        return () -> {
            broker.close().block(CLOSE_TIMEOUT);
            LOG.info("Closed the {} broker", broker.backend());
        };
    }

    /** The clock of the demos and the event feed. */
    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** What the handlers did, for {@code /events}. */
    @Bean
    public EventFeed eventFeed(Clock clock) {
        return new EventFeed(EventFeed.DEFAULT_CAPACITY, clock);
    }

    /** The demo shop's stock. */
    @Bean
    public Inventory inventory(ServiceProperties properties) {
        return new Inventory(properties.demo().stock());
    }

    /** The order demo. */
    @Bean
    public OrderService orderService(Broker broker, Inventory inventory, ServiceProperties properties, Clock clock) {
        return new OrderService(broker, inventory, properties.demo(), clock);
    }

    /** The order demo's handlers. */
    @Bean
    public OrderHandlers orderHandlers(OrderService orders) {
        return new OrderHandlers(orders);
    }

    /** The user fan-out demo and its handlers. */
    @Bean
    public UserService userService(Broker broker) {
        return new UserService(broker);
    }

    /** Every consumer, started and stopped together with the context. */
    @Bean
    public WorkerService workerService(Broker broker, ServiceProperties properties, EventFeed feed,
                                       List<HandlerCatalog> catalogs, PrometheusMeterRegistry registry) {
        WorkerService workers = new WorkerService(broker, properties.worker(), feed, catalogs);
        Gauge.builder("rivulet.service.consumers.running", workers,
                        w -> w.statuses().values().stream().filter(s -> s == Worker.Status.RUNNING).count())
                .description("Consumers (one per topic) running")
                .register(registry);
        return workers;
    }

    /** The readiness check of {@code /ready}. */
    @Bean
    public ReadinessProbe readinessProbe(Broker broker, WorkerService workers, ServiceProperties properties,
                                         PrometheusMeterRegistry registry) {
        ReadinessProbe probe = new ReadinessProbe(broker, workers, properties.readyTimeout(),
                BrokerFactory.address(properties));
        Gauge.builder("rivulet.service.broker.reachable", probe, ReadinessProbe::lastReachable)
                .description("1 if the broker answered the last readiness check, else 0")
                .register(registry);
        return probe;
    }

    /** The admin API's token check. */
    @Bean
    public AdminTokenFilter adminTokenFilter(ServiceProperties properties) {
        if (!properties.admin().hasToken()) {
            LOG.warn("No admin token configured (rivulet.admin.token / ADMIN_TOKEN): admin calls that change "
                    + "data are refused");
        }
        return new AdminTokenFilter(properties.admin().token());
    }
}
