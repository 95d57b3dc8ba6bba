package io.matchledger.bench;

import io.matchledger.core.GroupCommit;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service one database's run measures, and what every phase asks of it: its command gateway, group commit and
 * database, a match recorded the way the web records one, the projections awaited at the head of the store, and the
 * CPU a load took until they had handled it. The phases ({@code *Phase}) share one; {@link DatabaseRun} runs them.
 */
final class ServiceUnderTest {

    final BenchSettings settings;
    final Progress progress;
    /** The database's name, as the progress lines and the report name it. */
    final String name;

    final LedgerService service;
    final MatchPairs pool;
    final CpuMeter cpu;
    final ProjectionProgress projections;

    private CommandGateway commands;
    private GroupCommit groups;
    private JdbcTemplate jdbc;

    ServiceUnderTest(
            BenchSettings settings,
            Progress progress,
            LedgerService.Database database,
            LedgerService service,
            MatchPairs pool) {
        this.settings = settings;
        this.progress = progress;
        this.name = database.name();
        this.service = service;
        this.pool = pool;
        this.cpu = CpuMeter.forDatabase(database);
        this.projections = new ProjectionProgress(service, settings, progress, name);
        lookUpBeans();
    }

    CommandGateway commands() {
        return commands;
    }

    GroupCommit groups() {
        return groups;
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    /** {@link LedgerService#restart}, then the beans of the new context. */
    void restart() {
        service.restart();
        lookUpBeans();
    }

    private void lookUpBeans() {
        commands = service.bean(CommandGateway.class);
        groups = service.bean(GroupCommit.class);
        jdbc = service.bean(JdbcTemplate.class);
    }

    /** The way the web records a match: through the group commit, answered once its group has committed. */
    void recordMatch(String matchId, int i) throws Exception {
        groups.record(new RecordMatchCommand(matchId, pool.winner(i), pool.loser(i), Outcome.WIN, null), Map.of())
                .get();
    }

    long count(String sql) {
        Long value = jdbc.queryForObject(sql, Long.class);
        return value == null ? 0 : value;
    }

    long head() {
        return count("select coalesce(max(global_index), 0) from domain_event_entry");
    }

    /** Until every projection has handled every event in the store. */
    void awaitProjections() {
        projections.awaitHead(projections.streamingProcessors().values(), head(), "projections");
    }

    /** Called at a load's last answer: reads the CPU, waits for the projections to handle the load, reads again. */
    CpuSpan untilHead(CpuMeter.Reading before) {
        CpuMeter.Reading end = cpu.read();
        long started = System.nanoTime();
        awaitProjections();
        double catchUp = seconds(started);
        return new CpuSpan(before, end, cpu.read(), catchUp);
    }

    /** {@link ClientJvm#run}, against the service. */
    <T> T client(Class<T> result, String mode, Runnable onReady, Runnable onDone, String... options) throws Exception {
        return ClientJvm.run(service.port(), service.password(), result, mode, onReady, onDone, options);
    }

    static void requireNoErrors(String what, LoadResult load) {
        if (load.errors() > 0) {
            throw new IllegalStateException(
                    what + ": " + load.errors() + " of " + load.operations() + " failed, first: " + load.firstError());
        }
    }

    static double best(List<LoadResult> loads) {
        return loads.stream().mapToDouble(LoadResult::perSecond).max().orElse(1);
    }

    static String joined(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
