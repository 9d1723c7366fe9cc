package io.rivulet.core;

/**
 * The outcome of publishing one message: the backend holds it, or it was dropped as a duplicate.
 *
 * @param id the message id
 * @param topic the topic it was published to
 * @param duplicate {@code true} if producer-side dedup dropped it because its dedup key was seen
 *                  within the queue's dedup TTL
 */
public record PublishResult(String id, String topic, boolean duplicate) {
}
