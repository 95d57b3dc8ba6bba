-- A few rows in the tables of schema version 1 (H2), so that MigrationCutOffTest sees what each later migration does
-- to data, not only to the schema: the standings V2 empties, the enum columns V3 converts, the match rows V5 extends.
insert into domain_event_entry (global_index, sequence_number, aggregate_identifier, event_identifier, payload_type, time_stamp, payload) values (1, 0, 'ann', 'e-1', 'io.matchledger.core.api.PlayerRegistered', '2026-11-25T10:00:00Z', X'7B7D');
insert into domain_event_entry (global_index, sequence_number, aggregate_identifier, event_identifier, payload_type, time_stamp, payload) values (2, 1, 'ann', 'e-2', 'io.matchledger.core.api.MatchRecorded', '2026-11-25T10:01:00Z', X'7B7D');
insert into ledger_entry (points, voided, match_number, occurred_at, recorded_at, sequence, total_after, player_id, match_id, opponent_id, kind, result) values (3, false, 1, timestamp with time zone '2026-11-25 10:00:00+00', timestamp with time zone '2026-11-25 10:01:00+00', 1, 3, 'ann', 'm-1', 'bob', 'MATCH', 'WIN');
insert into ledger_entry (points, voided, match_number, occurred_at, recorded_at, sequence, total_after, player_id, match_id, opponent_id, kind, result) values (0, false, 1, timestamp with time zone '2026-11-25 10:00:00+00', timestamp with time zone '2026-11-25 10:01:00+00', 1, 0, 'bob', 'm-1', 'ann', 'MATCH', 'LOSS');
insert into ledger_entry (points, voided, sequence, total_after, player_id, adjustment_id, reason, kind) values (5, false, 2, 8, 'ann', 'a-1', 'opening balance', 'ADJUSTMENT');
insert into match_record (first_points, second_points, voided, occurred_at, recorded_at, first_player_id, match_id, second_player_id, first_result, outcome, second_result) values (3, 0, false, timestamp with time zone '2026-11-25 10:00:00+00', timestamp with time zone '2026-11-25 10:01:00+00', 'ann', 'm-1', 'bob', 'WIN', 'WIN', 'LOSS');
insert into player_history (last_sequence, matches, player_id) values (2, 1, 'ann');
insert into player_history (last_sequence, matches, player_id) values (1, 1, 'bob');
insert into player_standing (draws, last_sequence, losses, matches, points, reached_at, wins, name, player_id) values (0, 2, 0, 1, 8, 2, 1, 'Ann', 'ann');
insert into points_tally (players, points) values (1, 8);
insert into token_entry (segment, processor_name, timestamp, token_type, token) values (0, 'standings', '2026-11-25T10:01:00Z', null, null);
insert into token_entry (segment, processor_name, timestamp, token_type, token) values (0, 'matches', '2026-11-25T10:01:00Z', null, null);
