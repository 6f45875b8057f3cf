"""Pages of the green groups (phone first; every write goes through ``services``)."""
