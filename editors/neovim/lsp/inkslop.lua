-- The inkslop language server, for Neovim 0.11+ (vim.lsp.config reads lsp/<name>.lua from
-- the runtimepath). Enable it with vim.lsp.enable("inkslop"), or require("inkslop").setup().
return {
  cmd = { "inkslop", "lsp" },
  filetypes = { "inkslop" },
  root_markers = { "inkslop.toml", ".inkslop.toml", "pyproject.toml", ".git" },
}
