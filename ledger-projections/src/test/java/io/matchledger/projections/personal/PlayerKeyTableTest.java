package io.matchledger.projections.personal;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.projections.MigratedH2;
import java.sql.Connection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The players' keys in {@code player_key} of the migrated schema: the first key stored stays; an erasure destroys it. */
class PlayerKeyTableTest {

    static MigratedH2 db;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    @BeforeEach
    void noKeys() {
        db.jdbc.update("delete from player_key");
    }

    @Test
    void theFirstKeyStoredIsTheOneEveryLaterCallerGets() {
        PlayerKeyTable keys = new PlayerKeyTable(db.dataSource);

        assertThat(keys.find("ana")).isEmpty();
        assertThat(keys.findOrStore("ana", new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
        assertThat(keys.findOrStore("ana", new byte[] {9, 9, 9})).containsExactly(1, 2, 3);
        assertThat(keys.find("ana")).hasValueSatisfying(key -> assertThat(key).containsExactly(1, 2, 3));
        assertThat(keys.find("ben")).isEmpty();
    }

    @Test
    void aDestroyedKeyIsGoneForGoodAndOthersStay() {
        PlayerKeyTable keys = new PlayerKeyTable(db.dataSource);
        keys.findOrStore("ana", new byte[] {1});
        keys.findOrStore("ben", new byte[] {2});

        keys.destroy("ana");

        assertThat(keys.find("ana")).isEmpty();
        assertThat(keys.find("ben")).hasValueSatisfying(key -> assertThat(key).containsExactly(2));
    }

    @Test
    void theTableOnOneConnectionSeesWhatThatConnectionWrote() throws Exception {
        try (Connection connection = db.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            PlayerKeyTable keys = PlayerKeyTable.on(connection);
            keys.findOrStore("cid", new byte[] {7});
            assertThat(keys.find("cid")).isPresent();
            // Not committed: another session does not see it yet.
            assertThat(new PlayerKeyTable(db.dataSource).find("cid")).isEmpty();
            connection.commit();
        }
        assertThat(new PlayerKeyTable(db.dataSource).find("cid")).isPresent();
    }
}
