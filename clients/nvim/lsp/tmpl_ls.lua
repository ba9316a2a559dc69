---@brief
---
--- tmpl-ls: a language server for BMAD document templates (`*-tmpl.md`) and
--- the documents written from them: unfilled placeholders, leftover
--- instructions and examples, missing sections; completion, hover, quick
--- fixes, inserts.
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
--- For Neovim 0.7 to 0.10, `require('tmpl_ls').setup()` starts the same
--- server from the same configuration.
return {
  cmd = { 'tmpl-ls' },
  filetypes = { 'markdown' },
  root_markers = { '.tmpl-ls.json', '.bmad-core', '.git' },
  settings = { ['tmpl-ls'] = vim.empty_dict() },
}
