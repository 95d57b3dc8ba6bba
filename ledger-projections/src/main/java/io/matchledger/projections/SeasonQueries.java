package io.matchledger.projections;

import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.SeasonSeal;
import io.matchledger.projections.api.ExplainQuery;
import io.matchledger.projections.api.Explanation;
import io.matchledger.projections.api.FindSeasonQuery;
import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.api.LeaderboardPage;
import io.matchledger.projections.api.ListSeasonsQuery;
import io.matchledger.projections.api.PlayerMatchesPage;
import io.matchledger.projections.api.PlayerView;
import io.matchledger.projections.api.SeasonAroundQuery;
import io.matchledger.projections.api.SeasonCorrection;
import io.matchledger.projections.api.SeasonLeaderboardQuery;
import io.matchledger.projections.api.SeasonList;
import io.matchledger.projections.api.SeasonMatchesQuery;
import io.matchledger.projections.api.SeasonPlayerQuery;
import io.matchledger.projections.api.SeasonView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * Seasons and their standings, as {@link MatchesProjection} keeps them ({@link SeasonTables}), in the order {@link
 * Ranking} gives; and "why am I #N?" for all time and for a season.
 */
@Component
public class SeasonQueries {

    static final int CORRECTIONS_LISTED = 100;
    static final int ENTRIES_LISTED = 1_000;

    private final JdbcTemplate jdbc;
    private final LedgerEntryRepository entries;

    public SeasonQueries(DataSource dataSource, LedgerEntryRepository entries) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.entries = entries;
    }

    @QueryHandler
    public Optional<SeasonView> handle(FindSeasonQuery query) {
        Optional<SeasonView> season = LedgerRules.CURRENT_SEASON.equals(query.seasonId())
                ? seasons(
                                " where starts_at <= ? and ends_at > ?",
                                SeasonTables.ts(query.at()),
                                SeasonTables.ts(query.at()))
                        .stream()
                        .findFirst()
                : seasons(" where season_id = ?", query.seasonId()).stream().findFirst();
        return query.corrections() ? season.map(this::withCorrections) : season;
    }

    @QueryHandler
    public SeasonList handle(ListSeasonsQuery query) {
        // The clock that stamps the events decides which season is current, so that both agree (and a test can step
        // it).
        Instant now = GenericEventMessage.clock.instant();
        List<SeasonView> all = seasons("");
        String current = all.stream()
                .filter(s -> !s.start().isAfter(now) && s.end().isAfter(now))
                .map(SeasonView::seasonId)
                .findFirst()
                .orElse(null);
        return new SeasonList(current, all);
    }

    @QueryHandler
    public LeaderboardPage handle(SeasonLeaderboardQuery query) {
        Ranking ranking = Ranking.season(jdbc, query.seasonId());
        int offset = Math.max(0, query.offset());
        int limit = Math.max(0, query.limit());
        List<StandingRow> rows = limit == 0 ? List.of() : ranking.page(offset, limit);
        return ranking.pageOf(offset, limit, rows);
    }

    @QueryHandler
    public Optional<LeaderboardPage> handle(SeasonAroundQuery query) {
        Ranking ranking = Ranking.season(jdbc, query.seasonId());
        int radius = Math.max(0, query.radius());
        Optional<StandingRow> found = ranking.find(query.playerId());
        if (found.isEmpty()) {
            // Registered but not in the season: after everyone who played in it, as the player's standing says.
            return Ranking.allTime(jdbc).find(query.playerId()).map(player -> {
                long players = ranking.players();
                int above = (int) Math.min(radius, players);
                int offset = (int) (players - above);
                List<LeaderboardEntry> items = new ArrayList<>(
                        ranking.pageOf(offset, above, ranking.last(above)).items());
                items.add(new LeaderboardEntry(players + 1, player.playerId(), player.name(), 0, 0));
                return new LeaderboardPage(offset, above + 1 + radius, players, items);
            });
        }
        return found.map(standing -> ranking.around(standing, radius));
    }

    @QueryHandler
    public Optional<PlayerView> handle(SeasonPlayerQuery query) {
        Ranking ranking = Ranking.season(jdbc, query.seasonId());
        Optional<StandingRow> standing = ranking.find(query.playerId());
        if (standing.isPresent()) {
            return standing.map(s -> s.view(ranking.rank(s)));
        }
        // Registered but not in the season: at 0, after everyone who played in it.
        return Ranking.allTime(jdbc)
                .find(query.playerId())
                .map(player -> new PlayerView(player.playerId(), player.name(), 0, 0, 0, 0, 0, ranking.players() + 1));
    }

    @QueryHandler
    public Optional<PlayerMatchesPage> handle(SeasonMatchesQuery query) {
        if (Ranking.allTime(jdbc).find(query.playerId()).isEmpty()) {
            return Optional.empty();
        }
        int page = Math.max(0, query.page());
        int size = Math.max(0, query.size());
        long total = entries.countMatchesPlayedBetween(query.playerId(), query.from(), query.to());
        var items = size == 0
                ? List.<io.matchledger.projections.api.PlayerMatch>of()
                : entries
                        .matchesPlayedBetween(
                                query.playerId(),
                                query.from(),
                                query.to(),
                                (int) Math.min(Integer.MAX_VALUE, (long) page * size),
                                size)
                        .stream()
                        .map(LedgerEntry::match)
                        .toList();
        return Optional.of(new PlayerMatchesPage(query.playerId(), page, size, total, items));
    }

    @QueryHandler
    public Optional<Explanation> handle(ExplainQuery query) {
        Ranking ranking = query.seasonId() == null ? Ranking.allTime(jdbc) : Ranking.season(jdbc, query.seasonId());
        return ranking.find(query.playerId()).map(standing -> {
            long rank = ranking.rank(standing);
            List<Explanation.Entry> listed = query.seasonId() == null
                    ? allTimeEntries(query.playerId())
                    : seasonEntries(query.seasonId(), query.playerId());
            long count = query.seasonId() == null
                    ? jdbc.queryForObject(
                            "select count(*) from ledger_entry where player_id = ?", Long.class, query.playerId())
                    : listed.size();
            Explanation.Neighbour above = ranking.ahead(standing, 1).stream()
                    .findFirst()
                    .map(a -> neighbour(a, rank - 1, Ranking.decidedBy(a, standing)))
                    .orElse(null);
            Explanation.Neighbour below = ranking.behind(standing, 1).stream()
                    .findFirst()
                    .map(b -> neighbour(b, rank + 1, Ranking.decidedBy(standing, b)))
                    .orElse(null);
            return new Explanation(
                    standing.playerId(),
                    query.seasonId(),
                    standing.points(),
                    rank,
                    Instant.ofEpochMilli(standing.reachedAt()),
                    count,
                    listed.size() > ENTRIES_LISTED ? listed.subList(0, ENTRIES_LISTED) : listed,
                    above,
                    below);
        });
    }

    private static Explanation.Neighbour neighbour(StandingRow standing, long rank, String decidedBy) {
        return new Explanation.Neighbour(
                standing.playerId(), rank, standing.points(), Instant.ofEpochMilli(standing.reachedAt()), decidedBy);
    }

    private List<Explanation.Entry> allTimeEntries(String playerId) {
        return jdbc.query(
                "select kind, match_id, adjustment_id, result, points, recorded_at from ledger_entry "
                        + "where player_id = ? order by sequence limit " + ENTRIES_LISTED,
                (row, n) -> new Explanation.Entry(
                        row.getString(1),
                        row.getString(2),
                        row.getString(3),
                        row.getString(4),
                        row.getInt(5),
                        SeasonTables.instant(row, 6)),
                playerId);
    }

    /**
     * The season's counted matches of the player, each with its void when the season counts the void too. The
     * player's matches are found by their ledger entries (indexed by player): the match rows have no index by player,
     * and the season's index would read every match of the season.
     */
    private List<Explanation.Entry> seasonEntries(String seasonId, String playerId) {
        List<Explanation.Entry> listed = new ArrayList<>();
        jdbc.query(
                "select m.match_id, m.first_player_id, m.first_result, m.first_points, m.second_result, "
                        + "m.second_points, m.recorded_at, m.voided, m.voided_at, m.void_late from ledger_entry e "
                        + "join " + MatchWrites.MATCHES + " m on m.match_id = e.match_id "
                        + "where e.player_id = ? and e.kind = 'MATCH' and m.season_id = ? and not m.season_late "
                        + "order by m.recorded_at, m.match_id",
                row -> {
                    boolean first = playerId.equals(row.getString(2));
                    String result = first ? row.getString(3) : row.getString(5);
                    int points = first ? row.getInt(4) : row.getInt(6);
                    listed.add(new Explanation.Entry(
                            "MATCH", row.getString(1), null, result, points, SeasonTables.instant(row, 7)));
                    if (row.getBoolean(8) && !row.getBoolean(10)) {
                        listed.add(new Explanation.Entry(
                                "VOID", row.getString(1), null, result, -points, SeasonTables.instant(row, 9)));
                    }
                },
                playerId,
                seasonId);
        return listed;
    }

    private List<SeasonView> seasons(String where, Object... args) {
        Instant now = GenericEventMessage.clock.instant();
        return jdbc.query(
                "select s.season_id, s.name, s.starts_at, s.ends_at, s.planned_end, s.grace_seconds, s.closes_at, "
                        + "s.ended_early_reason, s.seal_canonical_form, s.seal_first_token, s.seal_last_token, "
                        + "s.seal_events, s.seal_matches, s.seal_events_sha256, s.seal_players, "
                        + "s.seal_standings_sha256, s.sealed_at, "
                        + "(select coalesce(sum(t.players), 0) from season_tally t where t.season_id = s.season_id) "
                        + "from season s" + where + " order by s.starts_at",
                (row, n) -> view(row, now),
                args);
    }

    private static SeasonView view(ResultSet row, Instant now) throws SQLException {
        String id = row.getString(1);
        Instant start = SeasonTables.instant(row, 3);
        Instant end = SeasonTables.instant(row, 4);
        Instant closesAt = SeasonTables.instant(row, 7);
        SeasonSeal seal = row.getString(9) == null
                ? null
                : new SeasonSeal(
                        id,
                        row.getString(9),
                        row.getLong(10),
                        row.getLong(11),
                        row.getLong(12),
                        row.getLong(13),
                        row.getString(14),
                        row.getLong(15),
                        row.getString(16));
        String status = seal != null
                ? "sealed"
                : start.isAfter(now)
                        ? "scheduled"
                        : end.isAfter(now) ? "running" : closesAt.isAfter(now) ? "grace" : "closed";
        return new SeasonView(
                id,
                row.getString(2),
                start,
                end,
                SeasonTables.instant(row, 5),
                Duration.ofSeconds(row.getLong(6)).toString(),
                closesAt,
                status,
                row.getString(8),
                row.getLong(18),
                seal,
                SeasonTables.instant(row, 17),
                0,
                List.of());
    }

    /**
     * The season with its post-seal corrections: the rows voided after the close (listed as late voids, or as late
     * matches when recorded late too), and the rows recorded after it and not voided late; two ranges of the index
     * {@code match_record_season_corrections} (V7), newest first by the instant each lists ({@code at}).
     */
    private SeasonView withCorrections(SeasonView season) {
        String voidedLate = " from " + MatchWrites.MATCHES + " where season_id = ? and void_late";
        String recordedLate = " from " + MatchWrites.MATCHES
                + " where season_id = ? and not void_late and recorded_at >= ? and season_late";
        Object close = SeasonTables.ts(season.closesAt());
        long count = jdbc.queryForObject("select count(*)" + voidedLate, Long.class, season.seasonId())
                + jdbc.queryForObject("select count(*)" + recordedLate, Long.class, season.seasonId(), close);
        String columns = "select match_id, first_player_id, second_player_id, season_late, recorded_at, voided_at";
        RowMapper<SeasonCorrection> correction = (row, n) -> row.getBoolean(4)
                ? new SeasonCorrection(
                        "LATE_MATCH",
                        row.getString(1),
                        row.getString(2),
                        row.getString(3),
                        SeasonTables.instant(row, 5))
                : new SeasonCorrection(
                        "LATE_VOID",
                        row.getString(1),
                        row.getString(2),
                        row.getString(3),
                        SeasonTables.instant(row, 6));
        List<SeasonCorrection> corrections = new ArrayList<>(jdbc.query(
                columns + voidedLate + " order by case when season_late then recorded_at else voided_at end desc limit "
                        + CORRECTIONS_LISTED,
                correction,
                season.seasonId()));
        corrections.addAll(jdbc.query(
                columns + recordedLate + " order by season_id desc, void_late desc, recorded_at desc limit "
                        + CORRECTIONS_LISTED,
                correction,
                season.seasonId(),
                close));
        corrections.sort(Comparator.comparing(SeasonCorrection::at).reversed());
        if (corrections.size() > CORRECTIONS_LISTED) {
            corrections = corrections.subList(0, CORRECTIONS_LISTED);
        }
        return new SeasonView(
                season.seasonId(),
                season.name(),
                season.start(),
                season.end(),
                season.plannedEnd(),
                season.grace(),
                season.closesAt(),
                season.status(),
                season.endedEarlyReason(),
                season.players(),
                season.seal(),
                season.sealedAt(),
                count,
                corrections);
    }
}
