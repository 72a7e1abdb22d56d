"""Stage compile: variables filled from front matter, the command line or data rows, the
script InkSlop receives, the request body, and the builder for scripts written in code."""

from inkslop.callable_stage import make_callable

# `inkslop.compile(...)` is the public compile_document even once this package is imported.
make_callable(__name__, "inkslop.compile.compiler", "compile_document")
