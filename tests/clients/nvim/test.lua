-- End-to-end test of clients/nvim (the tmpl-ls plugin) against the real server.
-- Run by run.sh: nvim --headless -u NONE -i NONE -n --cmd 'set rtp^=clients/nvim' -c 'luafile test.lua'
-- Env: TMPL_LS (the server), TMPL_WS, TMPL_WS2, TMPL_WS3 (copies of examples/workspace).
-- Prints "ok <name>" or "not ok <name>: <why>" per check; exits 1 when one fails, 2 on a Lua error.
-- Works in Neovim 0.7 and newer: it tests for functions, never for version numbers.
local failed = 0
local function say(s) io.stdout:write(s .. '\n') end
local function check(name, ok, why)
  if ok then say('ok ' .. name) else
    failed = failed + 1
    say('not ok ' .. name .. ': ' .. (type(why) == 'string' and why or vim.inspect(why)):gsub('\n', ' '))
  end
  return ok
end

local TIMEOUT = 10000 -- ms, for every wait; a normal run takes about a second
local server, ws, ws2, ws3 = os.getenv('TMPL_LS'), os.getenv('TMPL_WS'), os.getenv('TMPL_WS2'), os.getenv('TMPL_WS3')
local DOC = '/docs/infrastructure-architecture.md'
local TMPL = '/.bmad-core/templates/infrastructure-architecture-tmpl.md'
local YTMPL = '/templates/broken-tmpl.yaml' -- a YAML template with mistakes
local YDOC = '/docs/stories/1.2.md'         -- a document written from templates/story-tmpl.yaml
local uv = vim.uv or vim.loop

-- ---- helpers -------------------------------------------------------------

local function wait(cond) return vim.wait(TIMEOUT, cond, 10) end

-- The tmpl-ls clients attached to a buffer, once initialized.
local function clients_of(bufnr)
  local list = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr })
    or vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
  return vim.tbl_filter(function(c) return c.name == 'tmpl-ls' and c.initialized end, list)
end

-- Opens a file and sets its filetype (-u NONE: no detection; default markdown),
-- which fires the plugin's autocommand.
local function open(path, filetype)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = filetype or 'markdown'
  return bufnr
end

-- Every tmpl-ls client attached to a buffer, initialized or not.
local function any_client_of(bufnr)
  local list = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr })
    or vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
  return vim.tbl_filter(function(c) return c.name == 'tmpl-ls' end, list)
end

local function request(bufnr, method, params)
  local res, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT)
  if not res then return nil, err or 'no answer' end
  for id, r in pairs(res) do
    local c = vim.lsp.get_client_by_id(id)
    if c and c.name == 'tmpl-ls' then return r.result, r.err or r.error end
  end
  return nil, 'no answer from tmpl-ls'
end

-- Diagnostics changes per buffer: pushed (publishDiagnostics) or pulled (Neovim 0.10+
-- with a server offering textDocument/diagnostic), both end in DiagnosticChanged.
local generation = {}
vim.api.nvim_create_autocmd('DiagnosticChanged', {
  callback = function(args) generation[args.buf] = (generation[args.buf] or 0) + 1 end,
})

-- "line:code" (1-based lines), sorted, for the buffer's diagnostics.
local function diag_keys(bufnr)
  local keys = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    keys[#keys + 1] = ('%d:%s'):format(d.lnum + 1, d.code or (d.user_data and d.user_data.lsp.code) or '?')
  end
  table.sort(keys)
  return keys
end

local function has_code(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do if d.code == code then return d end end
end

-- What `tmpl-ls check` says about a file: "line:code", sorted.
local function check_keys(root, path, drop)
  local out = vim.fn.system({ server, 'check', '--format', 'json', '--root', root, path })
  local keys = {}
  for _, d in ipairs(vim.fn.json_decode(out)) do
    if d.code ~= drop then keys[#keys + 1] = ('%d:%s'):format(d.line, d.code) end
  end
  table.sort(keys)
  return keys
end

-- Runs vim.lsp.buf.code_action() with vim.ui.select stubbed to pick the action whose
-- title matches `pattern`; returns the picked title, or nil and the titles offered.
local function code_action(pattern)
  local offered, picked, asked = {}, nil, false
  local select = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    asked = true
    local choice
    for i, item in ipairs(items) do
      -- the item's shape differs between versions; format_item gives its title
      offered[i] = opts.format_item and opts.format_item(item) or tostring(item)
      if not choice and offered[i]:find(pattern) then choice = i end
    end
    picked = choice and offered[choice]
    on_choice(choice and items[choice] or nil, choice)
  end
  vim.lsp.buf.code_action()
  wait(function() return asked end)
  vim.ui.select = select
  if picked then return picked end
  return nil, asked and ('offered: ' .. table.concat(offered, ' | ')) or 'vim.ui.select was not called'
end

local function find_line(bufnr, pred)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if pred(line) then return i end
  end
end

local function realpath(p) return p and uv.fs_realpath(p) end

-- ---- the checks ----------------------------------------------------------

local function main()
  vim.o.hidden = true -- switch between modified buffers

  -- The module's two names, and the Neovim 0.11 config file it takes its defaults from.
  check('require("tmpl-ls") is require("tmpl_ls")', require('tmpl-ls') == require('tmpl_ls'))
  local files = vim.api.nvim_get_runtime_file('lsp/tmpl_ls.lua', false)
  local okc, cfg = pcall(dofile, files[1] or '')
  check('lsp/tmpl_ls.lua is a server config', okc and type(cfg) == 'table' and cfg.cmd and cfg.cmd[1] == 'tmpl-ls'
    and vim.deep_equal(cfg.filetypes, { 'markdown', 'yaml' }) and type(cfg.root_dir) == 'function'
    and cfg.settings and cfg.settings['tmpl-ls'] ~= nil, cfg)
  local d = require('tmpl_ls').defaults
  check('the plugin starts the server lsp/tmpl_ls.lua describes', okc and vim.deep_equal(d.cmd, cfg.cmd)
    and vim.deep_equal(d.filetypes, cfg.filetypes) and vim.deep_equal(d.root_markers, cfg.root_markers), d)

  local attached = {}
  require('tmpl-ls').setup({
    cmd = { server },
    on_attach = function(client, bufnr) attached[bufnr] = client.id end,
  })

  -- The plugin's FileType autocommand starts the server and attaches the document.
  local doc = open(ws .. DOC)
  local client
  wait(function() client = clients_of(doc)[1]; return client ~= nil and attached[doc] ~= nil end)
  if not check('attach', client and attached[doc] == client.id and realpath(client.config.root_dir) == realpath(ws),
      client and ('root_dir ' .. tostring(client.config.root_dir)) or 'no tmpl-ls client on the document') then
    return
  end
  local enc = client.offset_encoding or 'utf-16'

  -- Diagnostics: exactly those of `tmpl-ls check` on the same copy.
  local want = check_keys(ws, ws .. DOC)
  wait(function() return vim.deep_equal(diag_keys(doc), want) end)
  local got = diag_keys(doc)
  local codes = table.concat(want, ' ')
  check('diagnostics', vim.deep_equal(got, want) and codes:find(':missing%-section') and codes:find(':unfilled%-placeholder'),
    ('got %s, tmpl-ls check says %s'):format(table.concat(got, ' '), codes))

  -- documentSymbol: every heading, nested under its parent.
  local symbols, err = request(doc, 'textDocument/documentSymbol',
    { textDocument = vim.lsp.util.make_text_document_params(doc) })
  local names, parent_of = {}, {}
  local function walk(list, parent)
    for _, s in ipairs(list or {}) do
      names[#names + 1] = s.name
      parent_of[s.name] = parent
      walk(s.children, s.name)
    end
  end
  walk(symbols)
  local missing, fence = {}, false
  for _, line in ipairs(vim.api.nvim_buf_get_lines(doc, 0, -1, false)) do
    if line:match('^```') then fence = not fence end
    local heading = not fence and line:match('^#+%s+(.-)%s*$')
    if heading and not vim.tbl_contains(names, heading) then missing[#missing + 1] = heading end
  end
  check('documentSymbol', symbols and #names > 20 and #missing == 0
    and parent_of['Staging Environment'] == 'Environment Configuration'
    and parent_of['Environment Configuration'] == 'Lumen Infrastructure Architecture',
    err or ('%d symbols; headings not in the outline: %s'):format(#names, table.concat(missing, ', ')))

  -- Code action: insert the missing section, through vim.lsp.buf.code_action and vim.ui.select.
  local d = has_code(doc, 'missing-section')
  local heading = d and d.message:match('"(#+ [^"]+)"')
  if check('missing-section diagnostic names a heading', heading, d and d.message or 'none') then
    vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
    local gen = generation[doc] or 0
    local title, offered = code_action('^Insert missing section ')
    if check('code action: insert missing section', title, offered) then
      wait(function() return find_line(doc, function(l) return l == heading end) end)
      check('missing section inserted', find_line(doc, function(l) return l == heading end),
        'no line "' .. heading .. '" after "' .. title .. '"')
      wait(function()
        return (generation[doc] or 0) > gen and #vim.diagnostic.get(doc) > 0 and not has_code(doc, 'missing-section')
      end)
      check('diagnostics re-published without missing-section',
        (generation[doc] or 0) > gen and #vim.diagnostic.get(doc) > 0 and not has_code(doc, 'missing-section'),
        table.concat(diag_keys(doc), ' '))
    end
  end

  -- Code action: "Turn off <code> on this line" inserts a suppression comment.
  d = has_code(doc, 'unfilled-placeholder')
  if check('unfilled-placeholder diagnostic', d, table.concat(diag_keys(doc), ' ')) then
    local text = vim.api.nvim_buf_get_lines(doc, d.lnum, d.lnum + 1, false)[1]
    local comment = '<!-- tmpl-ls-disable-next-line unfilled-placeholder -->'
    vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
    local gen = generation[doc] or 0
    local title, offered = code_action('^Turn off unfilled%-placeholder on this line$')
    if check('code action: turn off unfilled-placeholder on this line', title, offered) then
      local function target() return find_line(doc, function(l) return l == text end) end
      local function suppressed()
        local t = target()
        if not t or (generation[doc] or 0) <= gen then return false end
        for _, x in ipairs(vim.diagnostic.get(doc)) do
          if x.code == 'unfilled-placeholder' and x.lnum == t - 1 then return false end
        end
        return true
      end
      wait(function()
        local t = target()
        return t and t > 1 and vim.trim(vim.api.nvim_buf_get_lines(doc, t - 2, t - 1, false)[1]) == comment
      end)
      local t = target()
      local above = t and t > 1 and vim.api.nvim_buf_get_lines(doc, t - 2, t - 1, false)[1]
      check('suppression comment inserted', above and vim.trim(above) == comment, 'line above: ' .. tostring(above))
      wait(suppressed)
      check('suppressed diagnostic gone', suppressed(), table.concat(diag_keys(doc), ' '))
    end
  end

  -- The template: the same client (one per root), hover and completion.
  local tmpl = open(ws .. TMPL)
  local tclient
  wait(function() tclient = clients_of(tmpl)[1]; return tclient ~= nil end)
  check('one client per root', tclient and tclient.id == client.id,
    tclient and ('template client %d, document client %d'):format(tclient.id, client.id) or 'template not attached')
  if tclient then
    local row = find_line(tmpl, function(l) return l:find('{{Project Name}}', 1, true) end)
    local col = vim.api.nvim_buf_get_lines(tmpl, row - 1, row, false)[1]:find('{{Project Name}}', 1, true) + 2
    vim.api.nvim_win_set_cursor(0, { row, col })
    local hover, herr = request(tmpl, 'textDocument/hover', vim.lsp.util.make_position_params(0, enc))
    local contents = hover and hover.contents
    local text = type(contents) == 'table' and (contents.value or table.concat(vim.tbl_map(function(c)
      return type(c) == 'table' and c.value or c end, contents), '\n')) or contents
    check('hover on a placeholder', type(text) == 'string' and text:find('Placeholder', 1, true)
      and text:find('Project Name', 1, true), herr or text or 'no hover')

    -- Completion after "{{" in a section's own text (the position given exactly: in
    -- normal mode the cursor cannot sit past the end of a line).
    row = find_line(tmpl, function(l) return l:match('^## ') end)
    vim.api.nvim_buf_set_lines(tmpl, row, row, false, { '', 'Owner: {{', '' })
    local items, cerr = request(tmpl, 'textDocument/completion', {
      textDocument = vim.lsp.util.make_text_document_params(tmpl),
      position = { line = row + 1, character = #'Owner: {{' },
    })
    items = items and (items.items or items) or {}
    local labels = vim.tbl_map(function(i) return i.label end, items)
    check('completion after {{', #labels > 0 and vim.tbl_contains(labels, 'Project Name'),
      cerr or ('labels: ' .. table.concat(labels, ', ')))
    vim.api.nvim_buf_set_lines(tmpl, row, row + 3, false, {})
  end

  -- A YAML template: the same client, its diagnostics those of `tmpl-ls check`, and
  -- again after an edit (didChange).
  local ytmpl = open(ws .. YTMPL, 'yaml')
  local yclient
  wait(function() yclient = clients_of(ytmpl)[1]; return yclient ~= nil end)
  check('YAML template: attached, to the same client', yclient and yclient.id == client.id,
    yclient and ('YAML template client %d, document client %d'):format(yclient.id, client.id) or 'not attached')
  want = check_keys(ws, ws .. YTMPL)
  wait(function() return vim.deep_equal(diag_keys(ytmpl), want) end)
  got = diag_keys(ytmpl)
  codes = table.concat(want, ' ')
  check('YAML template: diagnostics', vim.deep_equal(got, want) and codes:find(':yaml%-syntax')
    and codes:find(':duplicate%-id') and codes:find(':wrong%-type'),
    ('got %s, tmpl-ls check says %s'):format(table.concat(got, ' '), codes))
  local row = find_line(ytmpl, function(l) return l:match('^%s*repeatable: maybe$') end)
  if check('YAML template: has "repeatable: maybe"', row, 'no such line') then
    local line = vim.api.nvim_buf_get_lines(ytmpl, row - 1, row, false)[1]
    vim.api.nvim_buf_set_lines(ytmpl, row - 1, row, false, { (line:gsub('maybe$', 'true')) })
    local fixed = vim.tbl_filter(function(k) return not k:find(':wrong%-type$') end, want)
    wait(function() return vim.deep_equal(diag_keys(ytmpl), fixed) end)
    check('YAML template: an edit re-checks it (wrong-type gone)', vim.deep_equal(diag_keys(ytmpl), fixed),
      ('got %s, want %s'):format(table.concat(diag_keys(ytmpl), ' '), table.concat(fixed, ' ')))
  end

  -- A document written from a YAML template (matched by its headings).
  local ydoc = open(ws .. YDOC)
  wait(function() return clients_of(ydoc)[1] ~= nil end)
  want = check_keys(ws, ws .. YDOC)
  wait(function() return vim.deep_equal(diag_keys(ydoc), want) end)
  got = diag_keys(ydoc)
  codes = table.concat(want, ' ')
  local ms = has_code(ydoc, 'missing-section')
  check('document of a YAML template: diagnostics', vim.deep_equal(got, want) and codes:find(':missing%-section')
    and codes:find(':leftover%-instruction') and ms and ms.message:find('## Test Plan', 1, true),
    ('got %s, tmpl-ls check says %s'):format(table.concat(got, ' '), codes))

  -- Other YAML is not the server's: no client, in a templates folder either
  -- (without template: and sections:); a YAML template known there by its text is.
  local other, helm = ws .. '/config.yaml', ws .. '/templates/service.yaml'
  vim.fn.writefile({ 'name: not a template', 'sections: []' }, other)
  vim.fn.writefile({ 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: "{{ .Release.Name }}"' }, helm)
  for _, f in ipairs({ other, helm }) do
    local obuf = open(f, 'yaml')
    vim.wait(500, function() return #any_client_of(obuf) > 0 end, 10)
    check('YAML that is no template: not attached (' .. vim.fn.fnamemodify(f, ':t') .. ')',
      #any_client_of(obuf) == 0, ('%d tmpl-ls clients'):format(#any_client_of(obuf)))
  end
  local agent = ws .. '/templates/agent.yaml'
  vim.fn.writefile(vim.fn.readfile(ws .. YTMPL), agent)
  local abuf = open(agent, 'yaml')
  wait(function() return clients_of(abuf)[1] ~= nil end)
  local areal = clients_of(abuf)[1]
  want = check_keys(ws, agent)
  wait(function() return vim.deep_equal(diag_keys(abuf), want) end)
  check('YAML template known by its text in templates/: attached, its diagnostics',
    areal and areal.id == client.id and #want > 0 and vim.deep_equal(diag_keys(abuf), want),
    ('got %s, tmpl-ls check says %s'):format(table.concat(diag_keys(abuf), ' '), table.concat(want, ' ')))

  -- Settings given to setup() reach the server: pulled with workspace/configuration (the
  -- plugin advertises it: Neovim 0.7 answers it without saying so), and without that pull
  -- (initializationOptions; Neovim 0.8+ may also push workspace/didChangeConfiguration).
  local answers = {}
  local handler = vim.lsp.handlers['workspace/configuration']
  vim.lsp.handlers['workspace/configuration'] = function(err_, result, ctx, config)
    local answer = handler(err_, result, ctx, config)
    answers[#answers + 1] = answer
    return answer
  end
  local settings = { diagnostics = { ['missing-section'] = 'off' }, workspaceDiagnostics = true }
  local function settings_check(name, root, opts)
    require('tmpl-ls').setup(vim.tbl_extend('force', { cmd = { server }, settings = settings }, opts or {}))
    local buf = open(root .. DOC)
    local c
    wait(function() c = clients_of(buf)[1]; return c ~= nil end)
    if not check(name .. ': new client for another root', c and c.id ~= client.id, 'not attached') then return end
    local expect = check_keys(root, root .. DOC, 'missing-section')
    wait(function() return vim.deep_equal(diag_keys(buf), expect) end)
    local g = diag_keys(buf)
    check(name .. ': no missing-section', vim.deep_equal(g, expect),
      ('got %s, want %s'):format(table.concat(g, ' '), table.concat(expect, ' ')))
    return c
  end
  settings_check('settings', ws2)
  -- workspaceDiagnostics (in those settings): a file never opened gets the
  -- diagnostics tmpl-ls check gives it, once the workspace is indexed
  local never = ws2 .. '/templates/release-notes-tmpl.md'
  local nbuf = vim.uri_to_bufnr(vim.uri_from_fname(never))
  local nwant = check_keys(ws2, never, 'missing-section')
  wait(function() return vim.deep_equal(diag_keys(nbuf), nwant) end)
  check('workspaceDiagnostics: a file never opened has its diagnostics',
    #nwant > 0 and not vim.api.nvim_buf_is_loaded(nbuf) and vim.deep_equal(diag_keys(nbuf), nwant),
    ('got %s, tmpl-ls check says %s'):format(table.concat(diag_keys(nbuf), ' '), table.concat(nwant, ' ')))
  wait(function() return #answers > 0 end)
  check('settings: workspace/configuration answered with them',
    answers[1] and vim.deep_equal(answers[#answers][1], settings), vim.inspect(answers))
  local n = #answers
  settings_check('settings without workspace/configuration', ws3,
    { capabilities = { workspace = { configuration = false } } })
  check('settings without workspace/configuration: not asked', #answers == n, vim.inspect(answers))

  -- Shutdown: every tmpl-ls client stops.
  local ids = {}
  for _, c in ipairs(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()) do
    if c.name == 'tmpl-ls' then ids[#ids + 1] = c.id end
  end
  vim.lsp.stop_client(ids)
  local function all_stopped()
    for _, id in ipairs(ids) do if vim.lsp.get_client_by_id(id) then return false end end
    return true
  end
  wait(all_stopped)
  check('shutdown', #ids == 3 and all_stopped(), ('%d clients, stopped: %s'):format(#ids, tostring(all_stopped())))
end

local ok, e = xpcall(main, debug.traceback)
if not ok then
  check('lua error', false, e)
  vim.cmd('cquit 2')
end
vim.cmd(failed > 0 and 'cquit 1' or 'qall!')
