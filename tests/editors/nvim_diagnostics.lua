-- Run by test_neovim.py as `nvim --headless -u nvim_diagnostics.lua script.inkslop`.
-- Loads editors/neovim as a user would, waits for the client to attach and for the
-- server's diagnostics, and writes what it saw as JSON to $INKSLOP_NVIM_OUT.
local root = vim.env.INKSLOP_EDITORS .. "/neovim"
vim.opt.runtimepath:prepend(root)
vim.cmd("filetype plugin on")
vim.cmd("syntax on")
require("inkslop").setup()

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local buffer = vim.api.nvim_get_current_buf()
    local result = { filetype = vim.bo[buffer].filetype, commentstring = vim.bo[buffer].commentstring }
    -- the syntax group at each (line, column) of $INKSLOP_NVIM_SYNTAX: "1:1 2:2 ..."
    result.syntax = {}
    for line, column in vim.env.INKSLOP_NVIM_SYNTAX:gmatch("(%d+):(%d+)") do
      local id = vim.fn.synID(tonumber(line), tonumber(column), 1)
      result.syntax[line .. ":" .. column] = vim.fn.synIDattr(id, "name")
    end
    local attached = vim.wait(20000, function()
      return #vim.lsp.buf_get_clients(buffer) > 0
    end, 50)
    result.attached = attached
    if attached then
      local client = vim.lsp.buf_get_clients(buffer)[next(vim.lsp.buf_get_clients(buffer))]
      result.client = client.name
      result.root = client.config.root_dir
      result.server = client.server_capabilities and client.server_capabilities.completionProvider ~= nil
      result.has_diagnostics = vim.wait(20000, function()
        return #vim.diagnostic.get(buffer) > 0
      end, 50)
      result.diagnostics = {}
      for _, d in ipairs(vim.diagnostic.get(buffer)) do
        table.insert(result.diagnostics, { line = d.lnum, col = d.col, code = d.code, source = d.source, message = d.message })
      end
    end
    local out = io.open(vim.env.INKSLOP_NVIM_OUT, "w")
    out:write(vim.fn.json_encode(result))
    out:close()
    vim.cmd("qall!")
  end,
})
