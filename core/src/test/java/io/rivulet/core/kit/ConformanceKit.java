package io.rivulet.core.kit;

/**
 * The whole conformance kit. A backend runs it by a test class that implements this interface
 * and returns a fresh {@link KitFixture} for each test:
 *
 * <pre>{@code
 * class RedisConformanceTest implements ConformanceKit {
 *     RedisKitFixture fixture;
 *     @BeforeEach void open() { fixture = ...; }
 *     @AfterEach void close() { fixture.close(); }
 *     public KitFixture fixture() { return fixture; }
 * }
 * }</pre>
 */
public interface ConformanceKit extends PublishConsumeContract, SettlementContract, DelayContract,
        DeadLetterContract, PriorityDedupContract, AdminLifecycleContract, HandleContract, RetryContract,
        BatchContract, WorkerContract {
}
