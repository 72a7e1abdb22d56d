"""Stage compile: variables filled from front matter, the command line or data rows, the
script InkSlop receives, the request body, and the builder for scripts written in code."""
