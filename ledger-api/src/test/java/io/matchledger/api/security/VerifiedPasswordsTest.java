package io.matchledger.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** A verified password is remembered for a while; a wrong one is checked in full every time. */
class VerifiedPasswordsTest {

    /** Counts the BCrypt checks that really ran. */
    static final class CountingHashes implements PasswordEncoder {
        final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        int checks;

        @Override
        public String encode(CharSequence rawPassword) {
            return bcrypt.encode(rawPassword);
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            checks++;
            return bcrypt.matches(rawPassword, encodedPassword);
        }
    }

    static final class SettableClock extends Clock {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final CountingHashes hashes = new CountingHashes();
    final SettableClock clock = new SettableClock();
    final VerifiedPasswords passwords = new VerifiedPasswords(hashes, Duration.ofMinutes(5), 100, clock);
    final String hash = hashes.encode("right");

    @Test
    void aVerifiedPasswordIsRememberedUntilItExpires() {
        assertThat(passwords.matches("right", hash)).isTrue();
        assertThat(passwords.matches("right", hash)).isTrue();
        assertThat(hashes.checks).isEqualTo(1);

        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertThat(passwords.matches("right", hash)).isTrue();
        assertThat(hashes.checks).isEqualTo(2);
    }

    @Test
    void aWrongPasswordIsNeverRemembered() {
        assertThat(passwords.matches("right", hash)).isTrue();
        assertThat(passwords.matches("wrong", hash)).isFalse();
        assertThat(passwords.matches("wrong", hash)).isFalse();
        assertThat(hashes.checks).isEqualTo(3);
    }

    @Test
    void anotherHashOfTheSamePasswordIsCheckedAfresh() {
        assertThat(passwords.matches("right", hash)).isTrue();
        assertThat(passwords.matches("right", hashes.encode("right"))).isTrue();
        assertThat(passwords.matches("right", hashes.encode("other"))).isFalse();
        assertThat(hashes.checks).isEqualTo(3);
    }

    @Test
    void staysWithinItsCapacity() {
        VerifiedPasswords small = new VerifiedPasswords(hashes, Duration.ofMinutes(5), 2, clock);
        for (int i = 0; i < 10; i++) {
            assertThat(small.matches("p" + i, hashes.encode("p" + i))).isTrue();
        }
        assertThat(small.size()).isLessThanOrEqualTo(2);
    }
}
