package io.rivulet.samples.service.worker;

import java.util.List;

/** A group of topic handlers the {@link WorkerService} picks up (every Spring bean of this type). */
public interface HandlerCatalog {

    /** The handlers of this group. */
    List<TopicHandler<?>> handlers();
}
