"""The paper trail as a domain service, below casework (issue 7).

``kinds`` is the one registry of entry kinds; ``entries`` the one view of an entry;
``lookup`` normalises a case reference once at the edge; ``service`` writes and reads entries
through the unit of work. Storage and the MAC chain stay in ``vault.store``.
"""
