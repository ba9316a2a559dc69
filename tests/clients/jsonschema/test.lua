-- The README's Neovim snippet for the .tmpl-ls.json schema, against the real
-- vscode-json-language-server (npm's vscode-langservers-extracted), in
-- headless Neovim. Run by run.sh; environment: JSONLS (the server),
-- SNIPPET (the README's Lua block, its path pointing at this repository's
-- schema), GOOD (the README's first .tmpl-ls.json example), TMPL_WS (a folder to write .tmpl-ls.json files in), TMPL_OUT.
-- Neovim 0.7 has no vim.lsp.config/enable (0.11): the snippet runs as
-- written with those two recording what it gives them, and the recorded
-- config is started with vim.lsp.start_client.
local out = assert(io.open(os.getenv('TMPL_OUT'), 'a'))
local failed = 0
local function check(name, ok, why)
  if ok then
    out:write('ok ' .. name .. '\n')
  else
    failed = failed + 1
    out:write('not ok ' .. name .. ': ' .. vim.inspect(why or 'failed'):gsub('\n', ' ') .. '\n')
  end
  return ok
end

local function run()
  local recorded, enabled = {}, {}
  vim.lsp.config = function(name, cfg) recorded[name] = cfg end
  vim.lsp.enable = function(name) table.insert(enabled, name) end
  local chunk = assert(loadstring(table.concat(vim.fn.readfile(os.getenv('SNIPPET')), '\n')))
  chunk()
  local cfg = recorded.jsonls
  if not check('the snippet configures and enables jsonls', cfg and enabled[1] == 'jsonls', {recorded, enabled}) then
    return
  end

  local ws = os.getenv('TMPL_WS')
  local id = vim.lsp.start_client({
    name = 'jsonls',
    cmd = { os.getenv('JSONLS'), '--stdio' },
    root_dir = ws,
    settings = cfg.settings,
    -- as nvim-lspconfig's jsonls: the server formats and needs these
    init_options = { provideFormatter = true },
    flags = { debounce_text_changes = 0 },
    -- Neovim 0.11 and nvim-lspconfig send the settings after initialize;
    -- 0.7's start_client leaves that to on_init.
    on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end,
  })
  check('vscode-json-language-server starts', id ~= nil, id)

  -- Open NAME/.tmpl-ls.json holding TEXT; wait until the server has
  -- published for it and until DONE(list) holds (or 10 s); return the list.
  local function diagnostics_of(name, text, done)
    local file = ws .. '/' .. name .. '/.tmpl-ls.json'
    vim.fn.mkdir(ws .. '/' .. name, 'p')
    vim.fn.writefile(vim.split(text, '\n'), file)
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    vim.bo.filetype = 'json'
    local buf = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(buf, id)
    local list
    vim.wait(10000, function()
      if not vim.b[buf].tt_published then return false end
      list = vim.diagnostic.get(buf, { namespace = vim.lsp.diagnostic.get_namespace(id) })
      return done(list)
    end, 20)
    return list
  end

  -- Record each publishDiagnostics, so an empty list is seen too.
  local default = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    default(err, result, ctx, config)
    local buf = vim.uri_to_bufnr(result.uri)
    vim.b[buf].tt_published = true
  end

  -- The wrong one first: its diagnostics show that the schema is in use
  -- (the server reads it once), so the right one's first publication is
  -- its verdict.
  local bad = diagnostics_of('bad', table.concat({
    '{',
    '  "diagnostics": { "section-order": "ignore" },',
    '  "matchThreshold": 0,',
    '  "template": {}',
    '}' }, '\n'), function(list) return #list >= 3 end)
  local lines = {}
  for _, d in ipairs(bad or {}) do table.insert(lines, d.lnum + 1) end
  table.sort(lines)
  -- line 2: the severity not in the enum; 3: not above 0; 4: not a key
  check('a wrong .tmpl-ls.json: the schema marks lines 2, 3 and 4',
    vim.deep_equal(lines, { 2, 3, 4 }), bad)
  local texts = table.concat(vim.tbl_map(function(d) return d.message end, bad or {}), ' | ')
  check('the messages are the schema\'s (enum, exclusive minimum, property not allowed)',
    texts:find('[Vv]alue is not accepted') ~= nil and texts:find('exclusive minimum') ~= nil
      and texts:find('not allowed') ~= nil, texts)

  local good = diagnostics_of('good', table.concat(vim.fn.readfile(os.getenv('GOOD')), '\n'),
    function() return true end)
  check('the README\'s .tmpl-ls.json example: no diagnostic', good and #good == 0, good)
  vim.lsp.stop_client(id, true)
end

local ok, err = xpcall(run, debug.traceback)
if not ok then check('no Lua error', false, err) end
out:close()
vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
