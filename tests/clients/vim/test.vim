" ALE (Debian's vim-ale) with clients/vim's tmpl_ls linter against the real
" tmpl-ls, in headless Vim. Run by run.sh:
"   vim -N -u NONE -i NONE -n -Es -S test.vim
" Environment: TMPL_LS (the server), TMPL_LS_REPO, TMPL_WS and TMPL_WS2
" (copies of examples/workspace), TMPL_OUT (the report file: "ok NAME" /
" "not ok NAME: WHY" lines). Exit status 0 when every check passed.

let s:out = $TMPL_OUT
let s:failed = 0
let s:doc = 'docs/infrastructure-architecture.md'
let s:tmpl = '.bmad-core/templates/infrastructure-architecture-tmpl.md'
let s:ytmpl = 'templates/broken-tmpl.yaml'  " a YAML template with mistakes
let s:ydoc = 'docs/stories/1.2.md'          " written from templates/story-tmpl.yaml

function! s:Report(line) abort
    call writefile([a:line], s:out, 'a')
endfunction

function! s:Check(name, ok, ...) abort
    if a:ok
        call s:Report('ok ' . a:name)
    else
        let s:failed += 1
        call s:Report('not ok ' . a:name . ': ' . substitute(string(get(a:000, 0, 'failed')), '\n', ' ', 'g'))
    endif

    return a:ok
endfunction

" Wait (pumping jobs, channels and timers) until Pred() is truthy, at most
" secs seconds; return Pred()'s last value.
function! s:Wait(Pred, secs) abort
    let l:start = reltime()
    let l:v = a:Pred()

    while empty(l:v) && reltimefloat(reltime(l:start)) < a:secs
        sleep 20m
        let l:v = a:Pred()
    endwhile

    return l:v
endfunction

" The diagnostics tmpl-ls check gives for the document, as sorted [line, code].
" With a third argument true: [line, code, severity].
function! s:CliDiagnostics(root, file, ...) abort
    let l:json = system(join(map([$TMPL_LS, 'check', '--format', 'json', '--root', a:root, a:root . '/' . a:file],
    \   'shellescape(v:val)')))
    let l:list = map(json_decode(l:json), get(a:000, 0, 0)
    \   ? '[v:val.line, v:val.code, v:val.severity]' : '[v:val.line, v:val.code]')

    return sort(l:list)
endfunction

" The diagnostics ALE shows for the buffer (its loclist), as sorted [line, code].
function! s:AleDiagnostics() abort
    let l:items = filter(copy(ale#engine#GetLoclist(bufnr(''))), 'v:val.linter_name is# "tmpl_ls"')

    return sort(map(l:items, '[v:val.lnum, get(v:val, "code", "")]'))
endfunction

function! s:Linted() abort
    return !ale#engine#IsCheckingBuffer(bufnr('')) && !empty(s:AleDiagnostics())
endfunction

function! s:Run() abort
    let l:ws = $TMPL_WS
    let l:cli = s:CliDiagnostics(l:ws, s:doc)
    let l:codes = map(copy(l:cli), 'v:val[1]')

    if !s:Check('the CLI reports the expected codes on the copy',
    \   index(l:codes, 'unfilled-placeholder') >= 0 && index(l:codes, 'missing-section') >= 0
    \   && index(l:codes, 'leftover-example') >= 0, l:cli)
        return
    endif

    " Open the document as a user does: ALE lints it on BufEnter.
    execute 'edit ' . fnameescape(l:ws . '/' . s:doc)
    call s:Check('the buffer is markdown', &filetype is# 'markdown', &filetype)
    let l:linters = map(ale#linter#Get('markdown'), 'v:val.name')
    call s:Check('ALE finds the tmpl_ls linter for markdown', index(l:linters, 'tmpl_ls') >= 0, l:linters)
    let l:linter = filter(ale#linter#Get('markdown'), 'v:val.name is# "tmpl_ls"')[0]
    call s:Check('the project root is the workspace (its .bmad-core)',
    \   ale#lsp_linter#FindProjectRoot(bufnr(''), l:linter) is# l:ws,
    \   ale#lsp_linter#FindProjectRoot(bufnr(''), l:linter))

    call s:Wait(function('s:Linted'), 10)
    call s:Check('ALE shows the diagnostics of tmpl-ls check (lines and codes)',
    \   s:AleDiagnostics() == l:cli, {'ale': s:AleDiagnostics(), 'cli': l:cli})
    " ALE 3.3 shows LSP errors as E and warnings, information and hints as W.
    let l:want = sort(map(s:CliDiagnostics(l:ws, s:doc, 1),
    \   '[v:val[0], v:val[1], v:val[2] is# "error" ? "E" : "W"]'))
    let l:got = sort(map(filter(copy(ale#engine#GetLoclist(bufnr(''))), 'v:val.linter_name is# "tmpl_ls"'),
    \   '[v:val.lnum, v:val.code, v:val.type]'))
    call s:Check("types: E for the CLI's errors, W for the rest", l:got == l:want, {'ale': l:got, 'cli': l:want})

    " An edit: fill the first unfilled placeholder; ALE sends didChange.
    let l:line = filter(copy(l:cli), 'v:val[1] is# "unfilled-placeholder"')[0][0]
    call setline(l:line, substitute(getline(l:line), '{{[^}]*}}', 'filled in', ''))
    call ale#Queue(0)
    let l:expect = filter(copy(l:cli), 'v:val != [' . l:line . ', "unfilled-placeholder"]')
    call s:Check('after an edit the diagnostic on that line is gone',
    \   s:Wait({-> s:AleDiagnostics() == l:expect}, 10), {'ale': s:AleDiagnostics(), 'expect': l:expect})
    set nomodified

    " Completion after {{ in the template, through ALE's completion source.
    execute 'edit ' . fnameescape(l:ws . '/' . s:tmpl)
    let l:placeholders = []
    call substitute(join(getline(1, '$'), "\n"), '{{\([^{}]\+\)}}', '\=add(l:placeholders, submatch(1))', 'g')
    call uniq(sort(l:placeholders))
    call search('^## Infrastructure Overview$')
    call append(line('.'), ['', 'Class: {{'])
    let l:lnum = line('.') + 2
    let s:completions = v:null
    " ALE shows completions only in Insert mode; the batch session is in
    " Ex mode, so tell it Insert (ALE's own tests mock ale#util#Mode too).
    function! ale#util#Mode(...) abort
        return 'i'
    endfunction
    call cursor(l:lnum, 10)
    let l:started = ale#completion#GetCompletions('ale-callback', {
    \   'callback': {items -> execute('let s:completions = items')},
    \   'line': l:lnum, 'column': 10, 'prefix': '',
    \})
    call s:Check('ALE starts a completion request', l:started, l:started)
    call s:Wait({-> s:completions isnot v:null}, 10)
    " Each item inserts the name and closes the placeholder: "{{name}}".
    let l:words = s:completions is v:null ? [] : map(copy(s:completions), 'v:val.word')
    let l:missing = filter(copy(l:placeholders), 'index(l:words, v:val . "}}") < 0')
    call s:Check('completion after {{ offers every placeholder of the template ('
    \   . len(l:placeholders) . ')', len(l:placeholders) > 10 && empty(l:missing),
    \   {'missing': l:missing, 'offered': l:words})
    set nomodified

    " A YAML template (ale_linters/yaml/tmpl_ls.vim): its diagnostics, on the
    " same connection, and again after an edit.
    let l:ycli = s:CliDiagnostics(l:ws, s:ytmpl)
    execute 'edit ' . fnameescape(l:ws . '/' . s:ytmpl)
    call s:Check('the YAML template is yaml', &filetype is# 'yaml', &filetype)
    let l:ylinters = map(ale#linter#Get('yaml'), 'v:val.name')
    call s:Check('ALE finds the tmpl_ls linter for yaml', index(l:ylinters, 'tmpl_ls') >= 0, l:ylinters)
    call s:Wait({-> s:AleDiagnostics() == l:ycli}, 10)
    call s:Check('ALE shows the YAML template''s diagnostics of tmpl-ls check',
    \   s:AleDiagnostics() == l:ycli && index(map(copy(l:ycli), 'v:val[1]'), 'yaml-syntax') >= 0,
    \   {'ale': s:AleDiagnostics(), 'cli': l:ycli})
    if exists('*ale#lsp#GetConnections')
        let l:conns = filter(keys(ale#lsp#GetConnections()), 'v:val =~# ":" . escape(l:ws, ''\.'') . "$"')
        call s:Check('one connection for the Markdown and YAML buffers of the root', len(l:conns) == 1, l:conns)
    endif
    let l:wt = filter(copy(l:ycli), 'v:val[1] is# "wrong-type"')[0][0]
    call setline(l:wt, substitute(getline(l:wt), 'maybe$', 'true', ''))
    call ale#Queue(0)
    let l:expect = filter(copy(l:ycli), 'v:val[1] isnot# "wrong-type"')
    call s:Check('after an edit of the YAML template wrong-type is gone',
    \   s:Wait({-> s:AleDiagnostics() == l:expect}, 10), {'ale': s:AleDiagnostics(), 'expect': l:expect})
    set nomodified

    " A document written from a YAML template.
    let l:dcli = s:CliDiagnostics(l:ws, s:ydoc)
    execute 'edit ' . fnameescape(l:ws . '/' . s:ydoc)
    call s:Wait({-> s:AleDiagnostics() == l:dcli}, 10)
    call s:Check('ALE shows the diagnostics of a document of the YAML template',
    \   s:AleDiagnostics() == l:dcli && index(map(copy(l:dcli), 'v:val[1]'), 'missing-section') >= 0,
    \   {'ale': s:AleDiagnostics(), 'cli': l:dcli})

    " Other YAML, in a templates folder too: the linter has no executable
    " there (ALE skips it); a YAML template known there by its text has one.
    call writefile(['name: settings', 'sections: [a, b]'], l:ws . '/config.yaml')
    call writefile(['apiVersion: v1', 'kind: Service'], l:ws . '/templates/service.yaml')
    call writefile(readfile(l:ws . '/' . s:ytmpl), l:ws . '/templates/agent.yaml')
    let l:ylinter = filter(ale#linter#Get('yaml'), 'v:val.name is# "tmpl_ls"')[0]
    for [l:f, l:yes] in [['config.yaml', 0], ['templates/service.yaml', 0], ['templates/agent.yaml', 1]]
        execute 'edit ' . fnameescape(l:ws . '/' . l:f)
        let l:exe = ale#linter#GetExecutable(bufnr(''), l:ylinter)
        call s:Check(l:f . (l:yes ? ': tmpl_ls runs' : ': tmpl_ls does not run (no executable)'),
        \   &filetype is# 'yaml' && (l:yes ? l:exe is# $TMPL_LS : l:exe is# ''), [&filetype, l:exe])
    endfor
    let l:acli = s:CliDiagnostics(l:ws, 'templates/agent.yaml')
    call s:Wait({-> s:AleDiagnostics() == l:acli}, 10)
    call s:Check('ALE shows the diagnostics of a YAML template known by its text',
    \   !empty(l:acli) && s:AleDiagnostics() == l:acli, {'ale': s:AleDiagnostics(), 'cli': l:acli})

    " Settings: g:ale_markdown_tmpl_ls_config reaches a new server (another
    " root, so another connection) with initialize and didChangeConfiguration.
    let g:ale_markdown_tmpl_ls_config = {'diagnostics': {'leftover-example': 'off'}}
    let l:ws2 = $TMPL_WS2
    execute 'edit ' . fnameescape(l:ws2 . '/' . s:doc)
    let l:expect = filter(s:CliDiagnostics(l:ws2, s:doc), 'v:val[1] isnot# "leftover-example"')
    call s:Check('g:ale_markdown_tmpl_ls_config: leftover-example off',
    \   s:Wait({-> s:AleDiagnostics() == l:expect}, 10), {'ale': s:AleDiagnostics(), 'expect': l:expect})
endfunction

try
    call s:Run()
catch
    call s:Check('no Vim script error', 0, v:exception . ' at ' . v:throwpoint)
endtry

call ale#lsp#StopAll()
if s:failed
    cquit 1
endif
qall!
