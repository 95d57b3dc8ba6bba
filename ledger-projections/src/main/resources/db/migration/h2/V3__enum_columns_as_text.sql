-- H2 stores an ENUM value as its ordinal, and some of its read paths hand the ordinal back instead of the name once
-- the database has been reopened (after a kill -9 and a restart the projections read "2" and "3": "No enum constant
-- EntryKind.2"). Plain text with a check, as on PostgreSQL. The values are converted by name.
-- H2 commits each statement on its own: a start after a kill runs this script again from the top, so each statement
-- is a no-op once made (ADR 0016).
alter table ledger_entry alter column kind set data type varchar(16);
alter table ledger_entry alter column result set data type varchar(16);
alter table ledger_entry add constraint if not exists ledger_entry_kind_check check (kind in ('ADJUSTMENT', 'MATCH', 'VOID'));
alter table ledger_entry add constraint if not exists ledger_entry_result_check check (result in ('DRAW', 'LOSS', 'WIN'));
alter table match_record alter column outcome set data type varchar(16);
alter table match_record alter column first_result set data type varchar(16);
alter table match_record alter column second_result set data type varchar(16);
alter table match_record add constraint if not exists match_record_outcome_check check (outcome in ('DRAW', 'WIN'));
alter table match_record add constraint if not exists match_record_first_result_check check (first_result in ('DRAW', 'LOSS', 'WIN'));
alter table match_record add constraint if not exists match_record_second_result_check check (second_result in ('DRAW', 'LOSS', 'WIN'));
