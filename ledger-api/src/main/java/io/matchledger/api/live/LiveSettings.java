package io.matchledger.api.live;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ledger.live.*}: how often the read model is checked for changes while someone watches, how often an idle
 * stream gets a heartbeat, when a stream ends (the client reconnects, and its credentials are checked again), and how
 * many threads write to the streams.
 */
@ConfigurationProperties("ledger.live")
record LiveSettings(
        @DefaultValue("200ms") Duration poll,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("10m") Duration streamTimeout,
        @DefaultValue("4") int senders) {}
