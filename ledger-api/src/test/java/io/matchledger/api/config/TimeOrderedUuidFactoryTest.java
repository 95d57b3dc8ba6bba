package io.matchledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

class TimeOrderedUuidFactoryTest {

    @Test
    void axonFindsItThroughTheServiceLoader() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(TimeOrderedUuidFactory.class);
    }

    @Test
    void givesDistinctVersion7UuidsAcrossThreads() {
        TimeOrderedUuidFactory factory = new TimeOrderedUuidFactory();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 200_000).parallel().forEach(i -> seen.add(factory.generateIdentifier()));
        assertThat(seen).hasSize(200_000);
        for (String id : seen.stream().limit(1_000).toList()) {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
        }
    }

    @Test
    void startsWithItsMillisecondSoALaterOneSortsAfterAnEarlierOneAsText() {
        AtomicLong now = new AtomicLong(0x0192_3456_789aL);
        TimeOrderedUuidFactory factory = new TimeOrderedUuidFactory(now::get);
        String earlier = factory.generateIdentifier();
        now.incrementAndGet();
        String later = factory.generateIdentifier();
        assertThat(earlier).startsWith("01923456-789a-7");
        assertThat(later).startsWith("01923456-789b-7");
        assertThat(later).isGreaterThan(earlier);
        assertThat(UUID.fromString(earlier).getMostSignificantBits() >>> 16).isEqualTo(0x0192_3456_789aL);
    }
}
