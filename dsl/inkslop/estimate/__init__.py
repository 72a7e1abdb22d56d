"""Stage estimate: the spoken-text normaliser, the duration model fitted on Kokoro speech, and
the timeline of a script (seconds per block, credits), plus the one clock formatter."""
