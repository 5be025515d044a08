"""Casework: members, cases, parties, first meeting, paper trail, follow-ups, conflicts."""
