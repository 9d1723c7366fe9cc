package io.rivulet.samples.service.orders;

import java.time.Instant;

/**
 * An order of the demo shop, as {@code GET /orders/{id}} shows it.
 *
 * @param id the order id
 * @param sku what was ordered
 * @param quantity how many
 * @param status where it is in its life
 * @param createdAt when it was placed
 * @param updatedAt when its status last changed
 * @param note why it is in this status, for people
 */
public record Order(String id, String sku, int quantity, Status status, Instant createdAt, Instant updatedAt,
                    String note) {

    /** An order's life: CREATED, then AWAITING_PAYMENT, then PAID and COMPLETED, or CANCELLED / REJECTED. */
    public enum Status {
        /** Placed; {@code order.created} is on its way to reserve stock. */
        CREATED,
        /** Stock reserved; a payment check is scheduled. */
        AWAITING_PAYMENT,
        /** Paid; {@code order.paid} is on its way to ship it. */
        PAID,
        /** Shipped and receipted. */
        COMPLETED,
        /** Not paid in time: stock restored. */
        CANCELLED,
        /** Not enough stock. */
        REJECTED
    }

    /** A copy in another status. */
    Order moveTo(Status next, Instant at, String why) {
        return new Order(id, sku, quantity, next, createdAt, at, why);
    }
}
