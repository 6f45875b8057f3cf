"""Green neighbour communities (grønne nabofællesskaber): groups, plots and their allocation."""
