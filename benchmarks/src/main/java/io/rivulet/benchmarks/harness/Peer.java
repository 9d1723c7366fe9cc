package io.rivulet.benchmarks.harness;

/** One queue library's result in the Redis peer benchmark: messages/s of each phase. */
public record Peer(String name, String how, double produce, double consume) {
}
