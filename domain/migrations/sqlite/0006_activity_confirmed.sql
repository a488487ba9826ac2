-- Whether Flowhost confirmed an entry of a record's timeline or an approval with the Flow
-- service, or only has the browser's word for it (a widget's report). What was stored before
-- this was never confirmed. Kept in step with ../postgres/0006_activity_confirmed.sql.
ALTER TABLE record_events ADD COLUMN confirmed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE ticket_approvals ADD COLUMN confirmed BOOLEAN NOT NULL DEFAULT FALSE;
