-- player_standing.reached_at was the global position at which the standings processor saw the event that produced a
-- total; it is now when the ledger recorded that event (epoch milliseconds), a fact of the event that a rebuild gives
-- back exactly. The standings are emptied and their processor's token removed, so the processor replays every event
-- at the next start and fills reached_at with the new meaning.
delete from player_standing;
delete from points_tally;
delete from token_entry where processor_name = 'standings';
