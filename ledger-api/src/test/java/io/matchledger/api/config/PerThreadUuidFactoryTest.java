package io.matchledger.api.config;

import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PerThreadUuidFactoryTest {

    @Test
    void axonFindsItThroughTheServiceLoader() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(PerThreadUuidFactory.class);
    }

    @Test
    void givesDistinctVersion4UuidsAcrossThreads() {
        PerThreadUuidFactory factory = new PerThreadUuidFactory();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 200_000).parallel().forEach(i -> seen.add(factory.generateIdentifier()));
        assertThat(seen).hasSize(200_000);
        for (String id : seen.stream().limit(1_000).toList()) {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
        }
    }
}
