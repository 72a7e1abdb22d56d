"""Stage check: the checker, suppression directives, fixes, and `rules/` (one module per family),
with the reference documentation generated from the rules."""
