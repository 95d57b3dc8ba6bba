-- The points tally is added to by several writers at once (the read models' segments, ADR 0018): each batch adds its
-- changes to a total's count in one statement that inserts the row when it is not there. A count below zero would be
-- a read model that lost data; the check makes such a batch fail loudly instead of the statement that checked it
-- before. Each statement can run again after a crash between them (H2 commits each DDL statement on its own).
alter table points_tally add constraint if not exists points_tally_players_not_negative check (players >= 0);
alter table points_tally_rebuild add constraint if not exists points_tally_rebuild_players_not_negative check (players >= 0);
