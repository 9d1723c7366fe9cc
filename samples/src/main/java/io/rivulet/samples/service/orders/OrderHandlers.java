package io.rivulet.samples.service.orders;

import io.rivulet.core.JsonCodec;
import io.rivulet.samples.service.orders.OrderEvents.OrderCreated;
import io.rivulet.samples.service.orders.OrderEvents.OrderPaid;
import io.rivulet.samples.service.orders.OrderEvents.PaymentCheck;
import io.rivulet.samples.service.worker.HandlerCatalog;
import io.rivulet.samples.service.worker.TopicHandler;
import java.util.List;

/** The order demo's handlers: {@code order.created}, {@code order.payment.check}, {@code order.paid}; always consumed. */
public final class OrderHandlers implements HandlerCatalog {

    private final OrderService orders;

    /** The handlers of {@code orders}. */
    public OrderHandlers(OrderService orders) {
        this.orders = orders;
    }

    @Override
    public List<TopicHandler<?>> handlers() {
        return List.of(
                TopicHandler.always(OrderEvents.CREATED, JsonCodec.of(OrderCreated.class), orders::onCreated),
                TopicHandler.always(OrderEvents.PAYMENT_CHECK, JsonCodec.of(PaymentCheck.class), orders::onPaymentCheck),
                TopicHandler.always(OrderEvents.PAID, JsonCodec.of(OrderPaid.class), orders::onPaid));
    }
}
