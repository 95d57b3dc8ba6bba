-- The ledger's schema, version 1 (h2). Hibernate validates against it and never changes it.
-- Axon's tables: the event store (its own sequence, one number at a time: Axon #3374), snapshots, processor
-- tokens, and the saga tables its JPA auto-configuration maps. Then the read models of ledger-projections.
-- H2 commits each statement on its own: a start after a kill runs this script again from the top, so each statement
-- is a no-op once made (ADR 0016).

create sequence if not exists association_value_entry_seq start with 1 increment by 50;

create sequence if not exists domain_event_entry_seq start with 1 increment by 1;

create table if not exists association_value_entry (id bigint not null, association_key varchar(255) not null, association_value varchar(255), saga_id varchar(255) not null, saga_type varchar(255), primary key (id));

create table if not exists domain_event_entry (global_index bigint not null, sequence_number bigint not null, aggregate_identifier varchar(255) not null, event_identifier varchar(255) not null unique, payload_revision varchar(255), payload_type varchar(255) not null, time_stamp varchar(255) not null, type varchar(255), meta_data blob, payload blob not null, primary key (global_index), unique (aggregate_identifier, sequence_number));

create table if not exists ledger_entry (points integer not null, voided boolean not null, match_number bigint, occurred_at timestamp(9) with time zone, recorded_at timestamp(9) with time zone, sequence bigint not null, total_after bigint not null, version bigint, reason varchar(500), adjustment_id varchar(255), match_id varchar(255), opponent_id varchar(255), player_id varchar(255) not null, kind enum ('ADJUSTMENT','MATCH','VOID'), result enum ('DRAW','LOSS','WIN'), primary key (sequence, player_id));

create table if not exists match_record (first_points integer not null, second_points integer not null, voided boolean not null, occurred_at timestamp(9) with time zone, recorded_at timestamp(9) with time zone, version bigint, first_player_id varchar(255), match_id varchar(255) not null, second_player_id varchar(255), first_result enum ('DRAW','LOSS','WIN'), outcome enum ('DRAW','WIN'), second_result enum ('DRAW','LOSS','WIN'), primary key (match_id));

create table if not exists player_history (last_sequence bigint not null, matches bigint not null, version bigint, player_id varchar(255) not null, primary key (player_id));

create table if not exists player_standing (draws bigint not null, last_sequence bigint not null, losses bigint not null, matches bigint not null, points bigint not null, reached_at bigint not null, wins bigint not null, name varchar(255), player_id varchar(255) not null, primary key (player_id));

create table if not exists points_tally (players bigint not null, points bigint not null, version bigint, primary key (points));

create table if not exists saga_entry (revision varchar(255), saga_id varchar(255) not null, saga_type varchar(255), serialized_saga blob, primary key (saga_id));

create table if not exists snapshot_event_entry (sequence_number bigint not null, aggregate_identifier varchar(255) not null, event_identifier varchar(255) not null unique, payload_revision varchar(255), payload_type varchar(255) not null, time_stamp varchar(255) not null, type varchar(255) not null, meta_data blob, payload blob not null, primary key (sequence_number, aggregate_identifier, type));

create table if not exists token_entry (segment integer not null, owner varchar(255), processor_name varchar(255) not null, timestamp varchar(255) not null, token_type varchar(255), token blob, primary key (segment, processor_name));

create index if not exists association_value_by_key on association_value_entry (saga_type, association_key, association_value);

create index if not exists association_value_by_saga on association_value_entry (saga_id, saga_type);

create index if not exists ledger_entry_matches on ledger_entry (player_id, match_number desc);

create index if not exists ledger_entry_as_of on ledger_entry (player_id, recorded_at desc, sequence desc);

create index if not exists ledger_entry_match_id on ledger_entry (player_id, match_id);

create index if not exists player_standing_leaderboard on player_standing (points desc, reached_at asc, player_id asc);
