package io.rivulet.samples.service.orders;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo shop's stock, in memory (a real service keeps it in a database; on a shared backend every
 * instance of this demo has its own). Thread-safe; operations are atomic per SKU.
 */
public final class Inventory {

    private final ConcurrentHashMap<String, Integer> stock;

    /** An inventory holding {@code initial} stock. */
    public Inventory(Map<String, Integer> initial) {
        this.stock = new ConcurrentHashMap<>(initial);
    }

    /** Whether the shop sells {@code sku}. */
    public boolean sells(String sku) {
        return stock.containsKey(sku);
    }

    /** Takes {@code quantity} of {@code sku} if there are that many; returns whether it did. */
    public boolean reserve(String sku, int quantity) {
        boolean[] done = {false};
        stock.computeIfPresent(sku, (k, have) -> {
            if (have < quantity) {
                return have;
            }
            done[0] = true;
            return have - quantity;
        });
        return done[0];
    }

    /** Puts {@code quantity} of {@code sku} back. */
    public void release(String sku, int quantity) {
        stock.merge(sku, quantity, Integer::sum);
    }

    /** How many of {@code sku} are in stock (0 if none or unknown). */
    public int available(String sku) {
        return stock.getOrDefault(sku, 0);
    }

    /** A snapshot of all stock, by SKU. */
    public Map<String, Integer> snapshot() {
        return new TreeMap<>(stock);
    }
}
