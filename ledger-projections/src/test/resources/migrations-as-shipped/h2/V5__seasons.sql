-- Seasons (issue 15), kept by the matches projection: a season is a set of matches, placed by when they were played
-- (occurredAt) in the season's window; a match or void the ledger recorded after the season's close (end + grace) is
-- a post-seal correction: listed in the season, never counted in it (ADR 0013). Every table has its rebuild twin.

alter table match_record add column season_id varchar(64);
alter table match_record add column season_late boolean default false not null;
alter table match_record add column voided_at timestamp(9) with time zone;
alter table match_record add column void_late boolean default false not null;
create index match_record_season on match_record (season_id, recorded_at);

create table season (season_id varchar(64) not null, name varchar(255) not null, starts_at timestamp(9) with time zone not null, ends_at timestamp(9) with time zone not null, planned_end timestamp(9) with time zone not null, grace_seconds bigint not null, closes_at timestamp(9) with time zone not null, ended_early_reason varchar(500), defined_at timestamp(9) with time zone not null, seal_canonical_form varchar(64), seal_first_token bigint, seal_last_token bigint, seal_events bigint, seal_matches bigint, seal_events_sha256 varchar(64), seal_players bigint, seal_standings_sha256 varchar(64), sealed_at timestamp(9) with time zone, primary key (season_id));

create table season_standing (season_id varchar(64) not null, player_id varchar(255) not null, points bigint not null, wins bigint not null, draws bigint not null, losses bigint not null, matches bigint not null, entered_at bigint not null, changed_at bigint not null, reached_at bigint not null, primary key (season_id, player_id));
create index season_standing_leaderboard on season_standing (season_id, points desc, reached_at asc, player_id asc);

create table season_tally (season_id varchar(64) not null, points bigint not null, players bigint not null, primary key (season_id, points));

alter table match_record_rebuild add column season_id varchar(64);
alter table match_record_rebuild add column season_late boolean default false not null;
alter table match_record_rebuild add column voided_at timestamp(9) with time zone;
alter table match_record_rebuild add column void_late boolean default false not null;
create index match_record_rebuild_season on match_record_rebuild (season_id, recorded_at);

create table season_rebuild (season_id varchar(64) not null, name varchar(255) not null, starts_at timestamp(9) with time zone not null, ends_at timestamp(9) with time zone not null, planned_end timestamp(9) with time zone not null, grace_seconds bigint not null, closes_at timestamp(9) with time zone not null, ended_early_reason varchar(500), defined_at timestamp(9) with time zone not null, seal_canonical_form varchar(64), seal_first_token bigint, seal_last_token bigint, seal_events bigint, seal_matches bigint, seal_events_sha256 varchar(64), seal_players bigint, seal_standings_sha256 varchar(64), sealed_at timestamp(9) with time zone, primary key (season_id));

create table season_standing_rebuild (season_id varchar(64) not null, player_id varchar(255) not null, points bigint not null, wins bigint not null, draws bigint not null, losses bigint not null, matches bigint not null, entered_at bigint not null, changed_at bigint not null, reached_at bigint not null, primary key (season_id, player_id));
create index season_standing_rebuild_leaderboard on season_standing_rebuild (season_id, points desc, reached_at asc, player_id asc);

create table season_tally_rebuild (season_id varchar(64) not null, points bigint not null, players bigint not null, primary key (season_id, points));
