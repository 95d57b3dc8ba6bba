-- The rebuild's twin of each read-model table (ProjectionRebuilds): a projection is rebuilt from the first event into
-- these, beside the live tables that readers keep reading, and the twins and the live tables swap names when it has
-- caught up. So a twin is the live table's equal: the same columns, keys, checks and indexes (ReadModelSchemaTest
-- compares them), and the names of the indexes travel with their tables: after a rebuild, the live table's index may
-- carry the _rebuild name. A later migration that names an index names both.
-- H2 commits each statement on its own: a start after a kill runs this script again from the top, so each statement
-- is a no-op once made (ADR 0016).
create table if not exists player_standing_rebuild (draws bigint not null, last_sequence bigint not null, losses bigint not null, matches bigint not null, points bigint not null, reached_at bigint not null, wins bigint not null, name varchar(255), player_id varchar(255) not null, primary key (player_id));

create table if not exists points_tally_rebuild (players bigint not null, points bigint not null, version bigint, primary key (points));

create table if not exists match_record_rebuild (first_points integer not null, second_points integer not null, voided boolean not null, occurred_at timestamp(9) with time zone, recorded_at timestamp(9) with time zone, version bigint, first_player_id varchar(255), match_id varchar(255) not null, second_player_id varchar(255), first_result varchar(16) check (first_result in ('DRAW', 'LOSS', 'WIN')), outcome varchar(16) check (outcome in ('DRAW', 'WIN')), second_result varchar(16) check (second_result in ('DRAW', 'LOSS', 'WIN')), primary key (match_id));

create table if not exists player_history_rebuild (last_sequence bigint not null, matches bigint not null, version bigint, player_id varchar(255) not null, primary key (player_id));

create table if not exists ledger_entry_rebuild (points integer not null, voided boolean not null, match_number bigint, occurred_at timestamp(9) with time zone, recorded_at timestamp(9) with time zone, sequence bigint not null, total_after bigint not null, version bigint, reason varchar(500), adjustment_id varchar(255), match_id varchar(255), opponent_id varchar(255), player_id varchar(255) not null, kind varchar(16) check (kind in ('ADJUSTMENT', 'MATCH', 'VOID')), result varchar(16) check (result in ('DRAW', 'LOSS', 'WIN')), primary key (sequence, player_id));

create index if not exists ledger_entry_rebuild_matches on ledger_entry_rebuild (player_id, match_number desc);

create index if not exists ledger_entry_rebuild_as_of on ledger_entry_rebuild (player_id, recorded_at desc, sequence desc);

create index if not exists ledger_entry_rebuild_match_id on ledger_entry_rebuild (player_id, match_id);

create index if not exists player_standing_rebuild_leaderboard on player_standing_rebuild (points desc, reached_at asc, player_id asc);
