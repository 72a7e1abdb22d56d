"""Many videos through a journal that survives crashes (see journal.py and runner.py)."""
