"""Stage format: the canonical style (`canonical`: renders a Document) and formatting text or a
range of it (`formatter`)."""

from inkslop.callable_stage import make_callable

# `inkslop.format(...)` is the public format_text even once this package is imported.
make_callable(__name__, "inkslop.format.formatter", "format_text")
