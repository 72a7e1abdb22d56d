"""Stage estimate: the spoken-text normaliser, the duration model fitted on Kokoro speech, and
the timeline of a script (seconds per block, credits), plus the one clock formatter."""

from inkslop.callable_stage import make_callable

# `inkslop.estimate(...)` is the public estimate_document even once this package is imported.
make_callable(__name__, "inkslop.estimate.estimator", "estimate_document")
