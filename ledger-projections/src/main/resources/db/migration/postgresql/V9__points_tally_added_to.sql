-- The points tally is added to by several writers at once (the read models' segments, ADR 0018): each batch adds its
-- changes to a total's count in one statement that inserts the row when it is not there (insert ... on conflict). A
-- count below zero would be a read model that lost data; the check makes such a batch fail loudly instead of the
-- statement that checked it before.
alter table points_tally add constraint points_tally_players_not_negative check (players >= 0);
alter table points_tally_rebuild add constraint points_tally_rebuild_players_not_negative check (players >= 0);
