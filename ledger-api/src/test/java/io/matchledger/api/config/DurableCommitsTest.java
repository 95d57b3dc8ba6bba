package io.matchledger.api.config;

import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessResourceFailureException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DurableCommitsTest {

    /**
     * What a SIGKILL leaves is what is in the file: a copy of the file taken right after the commit, opened as its own
     * database, is what a restart after the kill would find.
     */
    @Test
    void aCommitIsInTheFileOnceAwaitDurableReturnsAndNotBefore(@TempDir Path dir) throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        // A long write delay, so that H2's background writer stores nothing during the test.
        h2.setURL("jdbc:h2:file:" + dir.resolve("live") + ";WRITE_DELAY=600000");
        h2.setUser("sa");
        try (Connection open = h2.getConnection(); Statement sql = open.createStatement()) {
            sql.execute("create table acknowledged (id int primary key)");
            DurableCommits.h2(h2).awaitDurable();

            sql.execute("insert into acknowledged values (1)");
            assertThat(idsInACopyOfTheFile(dir, "before")).isEmpty();

            DurableCommits.h2(h2).awaitDurable();
            assertThat(idsInACopyOfTheFile(dir, "after")).containsExactly(1);
        }
    }

    @Test
    void aCommandIsAnsweredWithTheFailureWhenItsCommitCannotBeWritten() throws Exception {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.registerHandlerInterceptor(DurableCommits.beforeAnswering(() -> {
            throw new DataAccessResourceFailureException("disk full");
        }));
        bus.subscribe(String.class.getName(), command -> "recorded");
        FutureCallback<Object, Object> answer = new FutureCallback<>();
        bus.dispatch(GenericCommandMessage.asCommandMessage("a command"), answer);

        CommandResultMessage<?> result = answer.get(10, TimeUnit.SECONDS);
        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).isInstanceOf(DataAccessResourceFailureException.class);
    }

    @Test
    void aCommandIsAnsweredOnlyAfterItsCommitWasMadeDurable() throws Exception {
        List<String> order = new ArrayList<>();
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.registerHandlerInterceptor(DurableCommits.beforeAnswering(() -> order.add("durable")));
        bus.subscribe(String.class.getName(), command -> {
            order.add("handled");
            return "recorded";
        });
        FutureCallback<Object, Object> answer = new FutureCallback<>();
        bus.dispatch(GenericCommandMessage.asCommandMessage("a command"), (command, result) -> {
            order.add("answered");
            answer.onResult(command, result);
        });

        assertThat(answer.get(10, TimeUnit.SECONDS).getPayload()).isEqualTo("recorded");
        assertThat(order).containsExactly("handled", "durable", "answered");
    }

    private static List<Integer> idsInACopyOfTheFile(Path dir, String name) throws Exception {
        Path copy = dir.resolve(name + ".mv.db");
        Files.copy(dir.resolve("live.mv.db"), copy, StandardCopyOption.REPLACE_EXISTING);
        List<Integer> ids = new ArrayList<>();
        try (Connection reopened = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve(name), "sa", "");
             Statement sql = reopened.createStatement();
             ResultSet rows = sql.executeQuery("select id from acknowledged order by id")) {
            while (rows.next()) {
                ids.add(rows.getInt(1));
            }
        }
        return ids;
    }
}
