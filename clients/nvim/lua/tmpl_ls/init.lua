-- tmpl-ls for Neovim 0.7 to 0.10 (and newer): starts the tmpl-ls language
-- server for Markdown buffers and YAML templates, one client per workspace root.
--
--   require('tmpl_ls').setup({ settings = { diagnostics = { ['section-order'] = 'off' } } })
--
-- Neovim 0.11 and newer can use lsp/tmpl_ls.lua instead (vim.lsp.enable('tmpl_ls')):
-- the defaults below are read from that file, so both start the same server.
local M = {}

-- lsp/tmpl_ls.lua on 'runtimepath' (this plugin's own folder has it).
local function server_config()
  local files = vim.api.nvim_get_runtime_file('lsp/tmpl_ls.lua', false)
  local ok, config = pcall(dofile, files[1] or '')
  if ok and type(config) == 'table' then return config end
  return { cmd = { 'tmpl-ls' }, filetypes = { 'markdown' }, root_markers = { '.tmpl-ls.json', '.bmad-core', '.git' } }
end

local config = server_config()
M.defaults = {
  cmd = config.cmd,
  filetypes = config.filetypes,
  root_markers = config.root_markers,
  settings = nil, -- the "tmpl-ls" section: diagnostics, templates, matchThreshold
  on_attach = nil, -- function(client, bufnr)
  capabilities = nil, -- merged into Neovim's client capabilities
}

local uv = vim.uv or vim.loop

-- lsp/tmpl_ls.lua's root_dir(bufnr, on_dir) says which buffers the server is
-- for: a YAML buffer only when it is a template (it answers at once). The
-- plugin finds the root itself, from opts.root_markers.
local function wanted(bufnr)
  if type(config.root_dir) ~= 'function' then return true end
  local yes = false
  pcall(config.root_dir, bufnr, function() yes = true end)
  return yes
end
local started = {} -- root -> client id, for Neovim 0.7 (no vim.lsp.start)

-- The nearest folder at or above the file's folder holding a marker, else the file's folder.
local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local d = dir
  while true do
    for _, marker in ipairs(markers) do
      if uv.fs_stat(d .. '/' .. marker) then return d end
    end
    local parent = vim.fn.fnamemodify(d, ':h')
    if parent == d then return dir end
    d = parent
  end
end

local function make_config(opts, root)
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  -- Neovim 0.7 answers workspace/configuration from `settings` but does not say so.
  capabilities.workspace.configuration = true
  return {
    name = 'tmpl-ls',
    cmd = opts.cmd,
    root_dir = root,
    capabilities = vim.tbl_deep_extend('force', capabilities, opts.capabilities or {}),
    settings = { ['tmpl-ls'] = opts.settings }, -- answers workspace/configuration
    init_options = opts.settings, -- for the first diagnostics, before the server asks
    on_attach = opts.on_attach,
  }
end

local function attach(opts, bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or vim.bo[bufnr].buftype ~= '' or not wanted(bufnr) then return end
  if vim.fn.executable(opts.cmd[1]) ~= 1 then
    vim.notify_once('tmpl-ls: ' .. opts.cmd[1] .. ' is not executable', vim.log.levels.WARN)
    return
  end
  local config = make_config(opts, find_root(name, opts.root_markers))
  if vim.lsp.start then -- Neovim 0.8+: reuses the client with this name and root
    vim.api.nvim_buf_call(bufnr, function() vim.lsp.start(config, { bufnr = bufnr }) end)
    return
  end
  local id = started[config.root_dir]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    started[config.root_dir] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
end

--- Starts tmpl-ls for buffers of `opts.filetypes` (and those already open),
--- YAML ones only when they are templates.
--- Calling it again replaces the options for servers started afterwards.
function M.setup(opts)
  opts = vim.tbl_extend('force', M.defaults, opts or {})
  local group = vim.api.nvim_create_augroup('tmpl_ls', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    callback = function(args) attach(opts, args.buf) end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype) then
      attach(opts, bufnr)
    end
  end
end

return M
