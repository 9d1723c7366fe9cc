package io.rivulet.samples.service.orders;

import io.rivulet.core.Broker;
import io.rivulet.core.Message;
import io.rivulet.core.PermanentException;
import io.rivulet.core.Queue;
import io.rivulet.samples.service.config.ServiceProperties;
import io.rivulet.samples.service.orders.OrderEvents.OrderCreated;
import io.rivulet.samples.service.orders.OrderEvents.OrderPaid;
import io.rivulet.samples.service.orders.OrderEvents.PaymentCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The order demo: places, pays and cancels orders by publishing messages, and handles those
 * messages. Orders live in memory (one store per instance: this is a demo of the messaging, not of
 * persistence).
 *
 * <p>The story: {@code POST /orders} stores an order and publishes {@code order.created}; its handler
 * reserves stock and publishes {@code order.payment.check} delayed by the payment timeout;
 * {@code POST /orders/{id}/pay} marks it paid and publishes {@code order.paid}, whose handler
 * completes it and publishes a receipt to {@code email.send}; a payment check that finds the order
 * still unpaid cancels it, restores the stock and notifies the customer on {@code user.notification}.
 * Orders of a {@code rivulet.demo.failing-skus} SKU fail in {@code order.created}'s handler every
 * time: they show the retries and end in the dead letters.
 *
 * <p>Every status change is atomic, so a payment and a payment check racing each other settle on one
 * result, and every handler is idempotent: a redelivered message does no harm. Methods never block.
 */
public final class OrderService {

    private static final Logger LOG = LoggerFactory.getLogger(OrderService.class);

    private final ConcurrentHashMap<String, Order> orders = new ConcurrentHashMap<>();
    private final Inventory inventory;
    private final Clock clock;
    private final Duration paymentTimeout;
    private final Set<String> failingSkus;
    private final Queue<OrderCreated> created;
    private final Queue<PaymentCheck> paymentChecks;
    private final Queue<OrderPaid> paid;
    private final Queue<Notice> emails;
    private final Queue<Notice> notifications;

    /**
     * A notice for the gateway handlers ({@code email.send}, {@code user.notification}).
     *
     * @param template which message to send
     * @param orderId about which order
     */
    public record Notice(String template, String orderId) {
    }

    /** The outcome of a payment. */
    public enum Payment {
        /** The order was awaiting payment and is now paid. */
        ACCEPTED,
        /** The order is in a status that cannot be paid (see the order). */
        REFUSED,
        /** No such order. */
        UNKNOWN
    }

    /** An order service publishing on {@code broker}. */
    public OrderService(Broker broker, Inventory inventory, ServiceProperties.Demo demo, Clock clock) {
        this.inventory = inventory;
        this.clock = clock;
        this.paymentTimeout = demo.paymentTimeout();
        this.failingSkus = Set.copyOf(demo.failingSkus());
        this.created = broker.queue(OrderEvents.CREATED, OrderCreated.class);
        this.paymentChecks = broker.queue(OrderEvents.PAYMENT_CHECK, PaymentCheck.class);
        this.paid = broker.queue(OrderEvents.PAID, OrderPaid.class);
        this.emails = broker.queue("email.send", Notice.class);
        this.notifications = broker.queue("user.notification", Notice.class);
    }

    /** Whether an order for {@code sku} can be placed (the shop sells it, or it is a failing SKU). */
    public boolean sells(String sku) {
        return inventory.sells(sku) || failingSkus.contains(sku);
    }

    /**
     * Stores a new order and publishes {@code order.created}; emits the order once the broker holds
     * the message. If publishing fails the order is forgotten and the error is signalled.
     */
    public Mono<Order> place(String sku, int quantity) {
        return Mono.defer(() -> {
            String id = "o-" + UUID.randomUUID().toString().substring(0, 8);
            Order order = new Order(id, sku, quantity, Order.Status.CREATED, clock.instant(), clock.instant(),
                    "reserving stock");
            orders.put(id, order);
            Message<OrderCreated> m = Message.builder(new OrderCreated(id, sku, quantity)).id(id).key(id).build();
            return created.publish(m)
                    .doOnError(e -> orders.remove(id))
                    .thenReturn(order);
        });
    }

    /** Pays an order awaiting payment and publishes {@code order.paid}. */
    public Mono<Payment> pay(String id) {
        return Mono.defer(() -> {
            boolean[] accepted = {false};
            Order after = orders.computeIfPresent(id, (k, o) -> {
                if (o.status() != Order.Status.AWAITING_PAYMENT) {
                    return o;
                }
                accepted[0] = true;
                return o.moveTo(Order.Status.PAID, clock.instant(), "paid; shipping");
            });
            if (after == null) {
                return Mono.just(Payment.UNKNOWN);
            }
            if (!accepted[0]) {
                return Mono.just(Payment.REFUSED);
            }
            return paid.publish(Message.builder(new OrderPaid(id)).id("paid-" + id).key(id).build())
                    .thenReturn(Payment.ACCEPTED);
        });
    }

    /** The order, if this instance knows it. */
    public Optional<Order> find(String id) {
        return Optional.ofNullable(orders.get(id));
    }

    /** Every order, oldest first. */
    public List<Order> all() {
        return orders.values().stream().sorted(Comparator.comparing(Order::createdAt)).toList();
    }

    /** {@code order.created}: reserves stock and schedules the payment check. */
    Mono<String> onCreated(Message<OrderCreated> message) {
        OrderCreated event = message.payload();
        Order order = orders.get(event.orderId());
        if (order == null) {
            return Mono.error(new PermanentException("order " + event.orderId() + " is unknown to this instance"));
        }
        if (order.status() == Order.Status.CREATED && failingSkus.contains(event.sku())) {
            return Mono.error(new IllegalStateException("the warehouse of sku '" + event.sku() + "' did not answer"));
        }
        Order now = orders.computeIfPresent(event.orderId(), (k, o) -> {
            if (o.status() != Order.Status.CREATED) {
                return o;
            }
            return inventory.reserve(o.sku(), o.quantity())
                    ? o.moveTo(Order.Status.AWAITING_PAYMENT, clock.instant(),
                            "stock reserved; cancelled unless paid within " + paymentTimeout)
                    : o.moveTo(Order.Status.REJECTED, clock.instant(), "not enough stock");
        });
        if (now.status() != Order.Status.AWAITING_PAYMENT) {
            return Mono.just("order " + now.id() + " is " + now.status());
        }
        // Also on a redelivery: the check may not have been published the first time.
        Message<PaymentCheck> check = Message.builder(new PaymentCheck(now.id())).id("check-" + now.id()).key(now.id())
                .build();
        return paymentChecks.publishDelayed(check, paymentTimeout)
                .thenReturn("reserved " + now.quantity() + " x " + now.sku() + " for order " + now.id()
                        + "; payment check in " + paymentTimeout);
    }

    /** {@code order.payment.check}: cancels the order if it is still unpaid and restores its stock. */
    Mono<String> onPaymentCheck(Message<PaymentCheck> message) {
        String id = message.payload().orderId();
        boolean[] cancelled = {false};
        Order now = orders.computeIfPresent(id, (k, o) -> {
            if (o.status() != Order.Status.AWAITING_PAYMENT) {
                return o;
            }
            cancelled[0] = true;
            return o.moveTo(Order.Status.CANCELLED, clock.instant(), "not paid within " + paymentTimeout
                    + "; stock restored");
        });
        if (now == null) {
            return Mono.just("order " + id + " is unknown to this instance: nothing to check");
        }
        if (!cancelled[0]) {
            return Mono.just("order " + id + " is " + now.status() + ": nothing to cancel");
        }
        inventory.release(now.sku(), now.quantity());
        LOG.info("Order {} cancelled: not paid within {}; {} x {} back in stock", id, paymentTimeout,
                now.quantity(), now.sku());
        return notifications.publish(Message.builder(new Notice("order-cancelled", id)).id("cancelled-" + id).build())
                .thenReturn("cancelled unpaid order " + id + "; restored " + now.quantity() + " x " + now.sku());
    }

    /** {@code order.paid}: completes (ships) the order and sends a receipt. */
    Mono<String> onPaid(Message<OrderPaid> message) {
        String id = message.payload().orderId();
        Order now = orders.computeIfPresent(id, (k, o) -> o.status() == Order.Status.PAID
                ? o.moveTo(Order.Status.COMPLETED, clock.instant(), "shipped; receipt sent")
                : o);
        if (now == null) {
            return Mono.error(new PermanentException("order " + id + " is unknown to this instance"));
        }
        if (now.status() != Order.Status.COMPLETED) {
            return Mono.just("order " + id + " is " + now.status() + ": nothing to ship");
        }
        return emails.publish(Message.builder(new Notice("receipt", id)).id("receipt-" + id).build())
                .thenReturn("shipped order " + id + " and sent its receipt");
    }
}
