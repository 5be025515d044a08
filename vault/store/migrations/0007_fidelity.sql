-- 0007 (issue 16): whether and to whom the agreed narrative of the first meeting was submitted,
-- and the hand-over that follows a decision to step aside from a possible conflict.

ALTER TABLE first_meetings ADD COLUMN narrative_submitted_to TEXT;  -- NULL: not recorded yet
ALTER TABLE first_meetings ADD COLUMN narrative_submitted_on TEXT;  -- ISO date
ALTER TABLE first_meetings ADD COLUMN narrative_not_submitted TEXT; -- why not, when not

ALTER TABLE conflict_findings ADD COLUMN handover_to TEXT;          -- step aside: to whom
ALTER TABLE conflict_findings ADD COLUMN handover_on TEXT;          -- and when (ISO date)
