package io.rivulet.samples.service;

import org.springframework.test.context.TestPropertySource;

/** The service's contract on the in-memory backend. */
@TestPropertySource(properties = "rivulet.backend=memory")
class MemoryServiceTest extends ServiceContractTest {
}
