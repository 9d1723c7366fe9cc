package io.rivulet.samples.service.orders;

/** The order demo's message payloads and topics. Payloads carry ids and quantities, no personal data. */
public final class OrderEvents {

    /** Published by {@code POST /orders}; its handler reserves stock and schedules the payment check. */
    public static final String CREATED = "order.created";
    /** Published delayed by the payment timeout; its handler cancels the order if it is still unpaid. */
    public static final String PAYMENT_CHECK = "order.payment.check";
    /** Published by {@code POST /orders/{id}/pay}; its handler ships the order and sends a receipt. */
    public static final String PAID = "order.paid";

    private OrderEvents() {
    }

    /**
     * An order was placed.
     *
     * @param orderId the order
     * @param sku what
     * @param quantity how many
     */
    public record OrderCreated(String orderId, String sku, int quantity) {
    }

    /**
     * Time to check whether an order was paid.
     *
     * @param orderId the order
     */
    public record PaymentCheck(String orderId) {
    }

    /**
     * An order was paid.
     *
     * @param orderId the order
     */
    public record OrderPaid(String orderId) {
    }
}
