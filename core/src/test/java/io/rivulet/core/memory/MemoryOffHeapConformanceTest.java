package io.rivulet.core.memory;

/**
 * The whole conformance kit again with a heap backlog of 0: every ready message is kept serialized
 * off the heap and read back to be delivered, so each semantic is checked on that path too.
 */
class MemoryOffHeapConformanceTest extends MemoryConformanceTest {

    @Override
    MemoryOptions.Builder options() {
        return MemoryOptions.builder().heapBacklog(0);
    }
}
