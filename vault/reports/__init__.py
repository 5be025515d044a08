"""Reports: reportlab PDFs and plain-text drafts (follow-up notes, certificates, audits)."""
