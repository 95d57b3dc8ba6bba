package io.matchledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * With the events on Axon Server the JPA event tables exist but stay empty: an export or a verification read from
 * them would be wrong without saying so. Without its readers the audit answers 501 instead.
 */
class AuditUnavailableTest {

    final DefaultListableBeanFactory noJpaEventStore = new DefaultListableBeanFactory();
    final AuditController audit = new AuditController(
            noJpaEventStore.getBeanProvider(EventExport.class),
            noJpaEventStore.getBeanProvider(LedgerVerification.class));

    @Test
    void theExportSaysItIsNotAvailable() {
        assertThatThrownBy(() -> audit.events(-1, 1000, new MockHttpServletRequest()))
                .isInstanceOfSatisfying(
                        AuditUnavailable.class,
                        unavailable ->
                                assertThat(unavailable.getStatusCode().value()).isEqualTo(501));
    }

    @Test
    void theVerificationSaysItIsNotAvailable() {
        assertThatThrownBy(audit::verify).isInstanceOf(AuditUnavailable.class).hasMessageContaining("501");
    }
}
