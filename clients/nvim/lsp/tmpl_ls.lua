---@brief
---
--- tmpl-ls: a language server for BMAD document templates (`*-tmpl.md`,
--- `*-tmpl.yaml`) and the documents written from them: unfilled
--- placeholders, leftover instructions and examples, missing sections;
--- completion, hover, quick fixes, inserts.
---
--- Install the server, one of:
--- - the release tarball: put its `bin/tmpl-ls` on `PATH`;
--- - from the repository: `make install PREFIX=/usr/local`.
---
--- Neovim 0.11 and newer, with this folder (`clients/nvim`) on 'runtimepath'
--- (or this file copied to `~/.config/nvim/lsp/tmpl_ls.lua`):
---
--- ```lua
--- vim.lsp.enable('tmpl_ls')
--- ```
---
--- Settings are the server's `tmpl-ls` section (its README, "Settings"):
---
--- ```lua
--- vim.lsp.config('tmpl_ls', {
---   settings = { ['tmpl-ls'] = { diagnostics = { ['section-order'] = 'off' } } },
--- })
--- ```
---
--- Markdown buffers all get the server; YAML buffers only when they are
--- YAML templates: by name (`*-tmpl.yaml`, `*.tmpl.yaml`, `.yml` too), or
--- under a folder named `templates` when the text has `template:` and
--- `sections:` at the start of a line, so that other YAML (a Helm chart's)
--- keeps its own server (yamlls) alone. `root_dir` decides that: a
--- replacement `root_dir` given to `vim.lsp.config` takes the filter away.
---
--- For Neovim 0.7 to 0.10, `require('tmpl_ls').setup()` starts the same
--- server from the same configuration.
local root_markers = { '.tmpl-ls.json', '.bmad-core', '.git' }
local uv = vim.uv or vim.loop

-- A YAML template, as the server tells them apart: by its name, or under a
-- folder named templates when its top level has both template: and sections:.
local function yaml_template(bufnr, name)
  name = name:gsub('\\', '/')
  local base = name:match('[^/]*$')
  if not (base:match('%.ya?ml$')) then return false end
  if base:match('[-.]tmpl%.ya?ml$') then return true end
  if not ('/' .. name):find('/templates/', 1, true) then return false end
  local template, sections = false, false
  for _, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    template = template or line:sub(1, 9) == 'template:'
    sections = sections or line:sub(1, 9) == 'sections:'
    if template and sections then return true end
  end
  return false
end

-- The nearest folder at or above the file's folder holding a marker, else the file's folder.
local function find_root(name, markers)
  local dir = vim.fn.fnamemodify(name, ':p:h')
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

return {
  cmd = { 'tmpl-ls' },
  filetypes = { 'markdown', 'yaml' },
  root_markers = root_markers,
  -- Neovim 0.11's root_dir(bufnr, on_dir): the server starts for a buffer
  -- only when on_dir is called, so a YAML buffer that is no template gets
  -- none. Plain Lua (no vim.fs.root): the plugin calls it in Neovim 0.7 too.
  root_dir = function(bufnr, on_dir)
    local name = vim.api.nvim_buf_get_name(bufnr)
    if name == '' then return end
    if vim.bo[bufnr].filetype == 'yaml' and not yaml_template(bufnr, name) then return end
    local ok, config = pcall(function() return vim.lsp.config.tmpl_ls end)
    on_dir(find_root(name, (ok and type(config) == 'table' and config.root_markers) or root_markers))
  end,
  settings = { ['tmpl-ls'] = vim.empty_dict() },
}
