"""`python -m inkslop_lsp`: the language server on stdio (as `inkslop lsp`)."""

from inkslop_lsp.server import start

start()
