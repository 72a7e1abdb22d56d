"""Stage format: the canonical style (`canonical`: renders a Document) and formatting text or a
range of it (`formatter`)."""
