-- 0009: indexes for Home at a busy rep's scale (issue 12). No new data, nothing encrypted
-- differently: two indexes over columns the trail and the findings already hold in the clear
-- (inside the SQLCipher file).
--
-- "Check back against the first meeting" asks for the newest check-back of every case: without
-- an index on the entry's kind that was a scan of the whole trail (537,680 entries at 50,000
-- cases: 1.5 s). The index covers the query (kind, case, time).
CREATE INDEX trail_kind_case ON trail(kind, case_id, ts);

-- "Conflict decisions pending" lists the first undecided findings: the demo's 50,000 cases hold
-- 208,818 of them. A partial index keeps only the undecided, in id order.
CREATE INDEX conflict_findings_pending ON conflict_findings(id) WHERE decision IS NULL;
