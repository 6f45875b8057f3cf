"""Services of the activities domain (writes), one module per area: ``activities``
(create, propose, decide, change, pause, end; occurrences and their fælleshus bookings),
``signups`` (sign-up, waitlist, reminders) and ``participation`` (headcounts, names reduced to
counts)."""
