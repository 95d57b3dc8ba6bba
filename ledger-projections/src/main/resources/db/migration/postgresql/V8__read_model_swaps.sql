-- A rebuild's swap under way (TableSwap, ADR 0016): its projection, that projection's live tables, and whether the
-- swap has decided (stored the live tokens). The swap is one transaction here, so no other session ever sees a row;
-- on H2, whose renames commit one by one, a start after a kill finishes or undoes the swap by it (InterruptedSwaps).
create table if not exists read_model_swap (processing_group varchar(255) not null, tables varchar(2000) not null, decided boolean not null, primary key (processing_group));
