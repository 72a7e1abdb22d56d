"""What an editor needs to know about a script at a cursor (no LSP types): the cursor's target,
highlights, and quick-fix alternatives. The language server (`inkslop_lsp`) maps these to LSP."""
