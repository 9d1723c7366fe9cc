package io.rivulet.samples.service.orders;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * The order demo's HTTP API: place ({@code POST /orders}), look ({@code GET /orders},
 * {@code GET /orders/{id}}), pay ({@code POST /orders/{id}/pay}) and see the stock
 * ({@code GET /inventory}). Non-blocking: each call completes when the broker holds what it published.
 */
@RestController
public class OrderController {

    /** The largest quantity one order may ask for. */
    public static final int MAX_QUANTITY = 1000;

    private final OrderService orders;
    private final Inventory inventory;

    /** A controller over {@code orders}. */
    public OrderController(OrderService orders, Inventory inventory) {
        this.orders = orders;
        this.inventory = inventory;
    }

    /**
     * What {@code POST /orders} takes.
     *
     * @param sku what to order (see {@code GET /inventory})
     * @param quantity how many, 1 to {@value OrderController#MAX_QUANTITY}
     */
    public record PlaceOrder(String sku, Integer quantity) {
    }

    /** Places an order: 202 with the order (status CREATED); 400 if the SKU or quantity is wrong. */
    @PostMapping("/orders")
    public Mono<ResponseEntity<Order>> place(@RequestBody PlaceOrder request) {
        if (request.sku() == null || !orders.sells(request.sku())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "sku must be one of " + inventory.snapshot().keySet() + " (GET /inventory)");
        }
        int quantity = request.quantity() == null ? 1 : request.quantity();
        if (quantity < 1 || quantity > MAX_QUANTITY) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "quantity must be between 1 and " + MAX_QUANTITY + ", was " + quantity);
        }
        return orders.place(request.sku(), quantity).map(o -> ResponseEntity.status(HttpStatus.ACCEPTED).body(o));
    }

    /** Every order this instance knows. */
    @GetMapping("/orders")
    public List<Order> all() {
        return orders.all();
    }

    /** One order; 404 if unknown. */
    @GetMapping("/orders/{id}")
    public Order one(@PathVariable String id) {
        return orders.find(id).orElseThrow(() -> unknown(id));
    }

    /** Pays an order: 202 with the order; 404 if unknown; 409 if it is not awaiting payment. */
    @PostMapping("/orders/{id}/pay")
    public Mono<ResponseEntity<Order>> pay(@PathVariable String id) {
        return orders.pay(id).map(result -> switch (result) {
            case ACCEPTED -> ResponseEntity.status(HttpStatus.ACCEPTED).body(orders.find(id).orElseThrow());
            case UNKNOWN -> throw unknown(id);
            case REFUSED -> throw new ResponseStatusException(HttpStatus.CONFLICT, "order " + id + " is "
                    + orders.find(id).map(o -> o.status().name()).orElse("gone")
                    + ": only an order AWAITING_PAYMENT can be paid");
        });
    }

    /** The stock by SKU. */
    @GetMapping("/inventory")
    public Map<String, Integer> inventory() {
        return inventory.snapshot();
    }

    private static ResponseStatusException unknown(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + id);
    }
}
