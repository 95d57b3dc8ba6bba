-- A batch of the matches projection reads its players' season rows with "season_id = ? and player_id in (...)". H2
-- uses an IN list on an index's first column only: keyed (season_id, player_id), that read scanned every row of the
-- season, 100,000 at 100,000 players, for each batch. Keyed by player first, it is one lookup per player.

alter table season_standing drop primary key;
alter table season_standing add primary key (player_id, season_id);
alter table season_standing_rebuild drop primary key;
alter table season_standing_rebuild add primary key (player_id, season_id);
