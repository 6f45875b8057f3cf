"""The tool shed (redskabsskuret) of a green group: tools lent and returned, a queue when a
tool is lent, loan periods and renewals, no new loan while one is overdue, tools that need a
caretaker's handover, and consumables (seeds) taken from a quantity."""
