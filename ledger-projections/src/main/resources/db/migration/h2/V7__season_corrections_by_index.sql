-- A season's page lists its post-seal corrections: rows voided after the close (void_late), and rows recorded after
-- it (season_late, that is recorded_at >= the close). Keyed (season_id, recorded_at), that read filtered every match
-- of the season (67 ms at 150,000 on H2), and every season-scoped read made it. Keyed (season_id, void_late,
-- recorded_at), both are index ranges. A rebuild swaps tables with their twins and the indexes keep their names, so
-- both old ones are dropped before the new ones are made.
-- H2 commits each statement on its own: a start after a kill runs this script again from the top, so each statement
-- is a no-op once made (ADR 0016).

drop index if exists match_record_season;
drop index if exists match_record_rebuild_season;
create index if not exists match_record_season_corrections on match_record (season_id, void_late, recorded_at);
create index if not exists match_record_rebuild_season_corrections on match_record_rebuild (season_id, void_late, recorded_at);
