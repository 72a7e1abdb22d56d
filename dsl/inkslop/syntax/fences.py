"""A Markdown code fence line (```, ```inkslop, ~~~), as chat models wrap scripts in: not
part of the script (S018). The estimator says nothing for it, and `fmt` never writes one
on a line of its own."""

from __future__ import annotations

import re

FENCE_LINE = re.compile(r"[ \t]*(?:```|~~~)[ \t]*[A-Za-z0-9_+.-]*[ \t]*")
