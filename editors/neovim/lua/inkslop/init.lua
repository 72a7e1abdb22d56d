-- require("inkslop").setup(opts): start `inkslop lsp` for InkSlop scripts, on any Neovim
-- from 0.7. opts (all optional): cmd (default { "inkslop", "lsp" }), root_markers,
-- on_attach, capabilities, settings: as in vim.lsp.config.
--   0.11+     vim.lsp.config("inkslop", opts) over lsp/inkslop.lua, then vim.lsp.enable
--   0.8-0.10  vim.lsp.start on each InkSlop buffer
--   0.7       vim.lsp.start_client, then vim.lsp.buf_attach_client
local M = {}

M.defaults = dofile(vim.api.nvim_get_runtime_file("lsp/inkslop.lua", false)[1])

-- The folder of the nearest root marker above the buffer's file, or the file's folder.
local function root_dir(buffer, markers)
  local folder = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buffer), ":p:h")
  local root
  for _, marker in ipairs(markers) do
    local found = vim.fn.findfile(marker, folder .. ";")
    if found == "" then
      found = vim.fn.finddir(marker, folder .. ";")
    end
    if found ~= "" then
      local parent = vim.fn.fnamemodify(found, ":p:h")
      if vim.fn.isdirectory(found) == 1 then
        parent = vim.fn.fnamemodify(found, ":p:h:h")
      end
      if not root or #parent > #root then
        root = parent
      end
    end
  end
  return root or folder
end

local function start(buffer, config)
  local root = root_dir(buffer, config.root_markers)
  local client_config = vim.tbl_extend("force", config, { name = "inkslop", root_dir = root })
  client_config.filetypes, client_config.root_markers = nil, nil
  if vim.lsp.start then
    return vim.lsp.start(client_config, { bufnr = buffer })
  end
  M.clients = M.clients or {}
  local id = M.clients[root]
  if not id or vim.lsp.client_is_stopped(id) then
    client_config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
    id = vim.lsp.start_client(client_config)
    M.clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(buffer, id)
  end
  return id
end

function M.setup(opts)
  opts = opts or {}
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config("inkslop", opts)
    vim.lsp.enable("inkslop")
    return
  end
  local config = vim.tbl_deep_extend("force", M.defaults, opts)
  local group = vim.api.nvim_create_augroup("inkslop_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      start(args.buf, config)
    end,
  })
end

return M
