"""Pages of the activities domain, one module per area (each with its ``urlpatterns``):
``calendar`` (Det sker, activity pages), ``organiser`` (the organiser's pages), ``proposals``
(deciding proposals), ``posters``, ``signups`` (sign-up,
waitlist, feeds) and ``participation`` (headcounts, reports)."""
