-- A rebuild's swap under way (TableSwap, ADR 0016): its projection, that projection's live tables, and whether the
-- swap has decided (stored the live tokens), from which point the rebuilt model is the one to keep. On H2 each rename
-- of a swap commits on its own; a start after a kill finishes or undoes the swap by this row (InterruptedSwaps). On
-- PostgreSQL the swap is one transaction and the row is never seen.
create table if not exists read_model_swap (processing_group varchar(255) not null, tables varchar(2000) not null, decided boolean not null, primary key (processing_group));
