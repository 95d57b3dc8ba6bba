package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.core.api.SealedName;
import io.matchledger.core.personal.PersonalData;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** How a name is sealed under its player's key, and what opens it (ADR 0019). */
class PersonalDataTest {

    final InMemoryPlayerKeys keys = new InMemoryPlayerKeys();
    final PersonalData personal = new PersonalData(keys);

    @Test
    void aSealedNameOpensWithItsPlayersKeyAndShowsNothingOfTheName() {
        SealedName sealed = personal.seal("p-1", "Ada Lovelace");

        assertThat(sealed.value()).startsWith(SealedName.SEALED).doesNotContain("Ada");
        assertThat(personal.open("p-1", sealed)).contains("Ada Lovelace");
        // A random IV per seal: the same name twice gives two texts, so equal names are not visible as such.
        assertThat(personal.seal("p-1", "Ada Lovelace")).isNotEqualTo(sealed);
        assertThat(sealed.toString()).doesNotContain("Ada");
    }

    @Test
    void destroyingTheKeyErasesEveryNameSealedUnderIt() {
        SealedName first = personal.seal("p-1", "Ada");
        SealedName second = personal.seal("p-1", "Ada Lovelace");
        SealedName other = personal.seal("p-2", "Enemy");

        personal.erase("p-1");

        assertThat(personal.open("p-1", first)).isEmpty();
        assertThat(personal.open("p-1", second)).isEmpty();
        assertThat(personal.hasKey("p-1")).isFalse();
        assertThat(personal.open("p-2", other)).contains("Enemy");
        personal.erase("p-1"); // again: nothing happens
    }

    @Test
    void aSealedNameOpensOnlyOnItsOwnPlayersLedger() {
        // The player's id is the associated data: a name copied onto another ledger does not open there, even under
        // the same key.
        byte[] key = personal.newKey();
        keys.findOrStore("p-1", key);
        keys.findOrStore("p-2", key);
        SealedName sealed = personal.seal("p-1", "Ada", key);

        assertThatThrownBy(() -> personal.open("p-2", sealed)).hasMessageContaining("does not open");
    }

    @Test
    void everyNewKeyIsRandomSoOnePlayersKeyNeverOpensAnothersNames() {
        assertThat(personal.newKey()).isNotEqualTo(personal.newKey());
    }

    @Test
    void anAlteredNameIsNoErasure() {
        SealedName sealed = personal.seal("p-1", "Ada");
        byte[] bytes = Base64.getDecoder().decode(sealed.value().substring(SealedName.SEALED.length()));
        bytes[bytes.length - 1] ^= 1;
        SealedName altered =
                new SealedName(SealedName.SEALED + Base64.getEncoder().encodeToString(bytes));

        assertThatThrownBy(() -> personal.open("p-1", altered))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("altered")
                .hasMessageNotContaining("Ada");
    }

    @Test
    void aNameOfTheFirstVersionOpensWithoutAKey() {
        assertThat(personal.open("p-9", SealedName.plain("Old Timer"))).contains("Old Timer");
        assertThat(SealedName.plain("Old Timer").toString()).doesNotContain("Old");
    }

    @Test
    void onlySealedOrPlainValuesAreNames() {
        assertThatThrownBy(() -> new SealedName("Ada")).isInstanceOf(IllegalArgumentException.class);
    }
}
