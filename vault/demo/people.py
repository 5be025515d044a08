"""Obviously fictional names, employers and casework words for the demo vault.

Every surname is an invented word that no real person is likely to carry, so a screenshot of
the demo vault can never be mistaken for real members; the employers are invented too.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Ada", "Bram", "Cleo", "Dev", "Edie", "Felix", "Gita", "Hal", "Ines", "Jago", "Kit", "Lula",
    "Milo", "Nell", "Otto", "Pip", "Quin", "Rosa", "Sol", "Tam", "Uma", "Vik", "Wren", "Xan",
    "Yara", "Zeb", "Aled", "Bea", "Cai", "Dora", "Emrys", "Fern", "Gus", "Hana", "Ivo", "Jude",
)
SURNAMES = (
    "Placeholder", "Madeupson", "Fictionby", "Pretendsworth", "Samplewick", "Notarealname",
    "Demoforth", "Testington", "Imaginary", "Inventmore", "Mockridge", "Dummerfield",
    "Fabricant", "Fauxley", "Pseudonym", "Quillfeather", "Wobbleton", "Snorkelby",
    "Thistlewhit", "Bramblecombe", "Puddingstone", "Larkspurrow", "Humbledrum", "Tinkerbottom",
    "Marmaladew", "Crumpetson", "Biscuitfield", "Jellicote-Fake", "Kettlewhistle", "Noodleham",
)
EMPLOYERS = (
    "University of Nowhere (demo)", "Imaginary College of Arts (demo)",
    "Fictional Institute of Technology (demo)",
)
DEPARTMENTS = (
    "History", "Physics", "Library", "Estates", "Finance", "Nursing", "Law", "Music",
    "Computing", "Student Services", "Catering", "Admissions",
)
TITLES = {
    "disciplinary": ("Alleged misconduct at a departmental meeting", "Conduct allegation after a "
                     "student complaint", "Alleged breach of the IT policy"),
    "grievance": ("Grievance about workload allocation", "Grievance about a line manager's "
                  "conduct", "Grievance about a refused promotion"),
    "capability": ("Performance improvement plan", "Capability review after probation"),
    "sickness-absence": ("Long-term sickness absence review", "Trigger-point absence meeting",
                         "Phased return after surgery"),
    "redundancy": ("Proposed restructure of the department", "At risk of redundancy"),
    "dismissal": ("Dismissal appeal", "Notice of dismissal received"),
    "discrimination": ("Reasonable adjustments refused", "Alleged age discrimination in "
                       "shortlisting"),
    "bullying-harassment": ("Bullying by a colleague", "Harassment at a team social"),
    "flexible-working": ("Flexible working request refused", "Request for compressed hours"),
    "health-and-safety": ("Unsafe lone working in the labs", "Workstation assessment "
                          "not carried out"),
    "pay-contract": ("Underpaid overtime", "Fixed-term contract not renewed",
                     "Regrading request"),
    "other": ("Advice on a reference", "Query about pension transfer"),
}
SENTENCES = (
    "Member explained the background and the timeline so far",
    "Manager confirmed the meeting will go ahead as planned",
    "HR agreed to postpone the hearing by five working days",
    "Member sent the policy and the invitation letter",
    "Discussed the options and the likely outcomes",
    "Advised the member to put the request in writing",
    "Advised the member not to resign before the appeal is heard",
    "Advised the member to see occupational health before the review",
    "Agreed to draft the grievance together this week",
    "Regional office asked for the bundle of documents",
    "Witness statements requested from HR",
    "Member feels anxious about the meeting; talked through what to expect",
    "Employer offered a phased return over four weeks",
    "Member declined the proposed settlement",
    "Notes of the investigation meeting received and checked",
)
ISSUES = (
    "Whether the procedure was followed", "Workload above the agreed hours",
    "No risk assessment carried out", "Adjustments agreed but not made",
    "Selection criteria not shared", "Notes of the meeting not provided",
)
ACTIONS = (
    "Send the member the policy", "Ask HR for the investigation notes",
    "Draft the grievance letter", "Book the regional officer",
    "Collect the fit notes", "Check the selection matrix",
)
