-- Right to erasure (issue 27, ADR 0019): each player's name is sealed in the events under a key of the player's own,
-- kept here beside the event store, so that an erasure's event and the destruction of the key commit in one
-- transaction. Erasing a player deletes their row; no other row of the ledger changes.
-- Every statement can run again (a migration cut off on H2 keeps what it had committed, statement by statement).

create table if not exists player_key (player_id varchar(255) not null, secret binary varying(32) not null, primary key (player_id));

-- Snapshots of a player before revision 2 hold the name in plain text. A snapshot only saves reading events, so
-- they go: the next load reads the events and takes a new one, with the name sealed.
delete from snapshot_event_entry where type = 'Player' and (payload_revision is null or payload_revision <> '2');
