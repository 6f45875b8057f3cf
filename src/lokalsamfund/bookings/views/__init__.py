"""Pages of the booking domain; thin: they parse, call selectors/services and render."""
