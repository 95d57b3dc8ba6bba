-- The same key as on H2 (see its V6): keyed by player first, a batch's read of its players' season rows is one lookup
-- per player on either database. A rebuild swaps a table with its twin by renaming them, and constraints keep their
-- names, so each table's key is found by table, and both are dropped before either is added (an index's name is
-- unique in the schema).

do $$
declare
    t text;
    k text;
begin
    foreach t in array array['season_standing', 'season_standing_rebuild'] loop
        select conname into k from pg_constraint where conrelid = t::regclass and contype = 'p';
        execute format('alter table %I drop constraint %I', t, k);
    end loop;
    foreach t in array array['season_standing', 'season_standing_rebuild'] loop
        execute format('alter table %I add primary key (player_id, season_id)', t);
    end loop;
end $$;
