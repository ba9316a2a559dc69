" Author: The tmpl-ls maintainers
" Description: tmpl-ls for BMAD YAML templates (`*-tmpl.yaml`), as an ALE
" linter: the same server and options as ale_linters/markdown/tmpl_ls.vim
" (g:ale_markdown_tmpl_ls_*), for the YAML buffers that are templates only:
" by the name (`*-tmpl.yaml`, `*.tmpl.yaml`, `.yml` too), or under a folder
" named `templates` when the text has `template:` and `sections:` at the
" start of a line, as the server tells them apart. For any other YAML its
" executable is '' and ALE skips it without a word, so yamllint or
" yaml-language-server keep that YAML to themselves (and run beside it on
" templates).
"
" ALE runs every YAML linter it finds unless g:ale_linters names them; then
" list this one: let g:ale_linters = {'yaml': ['tmpl_ls', 'yamllint']}.

call ale#Set('markdown_tmpl_ls_executable', 'tmpl-ls')
call ale#Set('markdown_tmpl_ls_options', '')
call ale#Set('markdown_tmpl_ls_config', {})

function! ale_linters#yaml#tmpl_ls#IsTemplate(buffer) abort
    let l:file = expand('#' . a:buffer . ':p')

    if l:file =~# '[-.]tmpl\.ya\?ml$'
        return 1
    endif

    if l:file !~# '/templates/.*\.ya\?ml$'
        return 0
    endif

    let l:lines = getbufline(a:buffer, 1, '$')

    return match(l:lines, '^template:') >= 0 && match(l:lines, '^sections:') >= 0
endfunction

function! ale_linters#yaml#tmpl_ls#GetExecutable(buffer) abort
    return ale_linters#yaml#tmpl_ls#IsTemplate(a:buffer)
    \   ? ale#Var(a:buffer, 'markdown_tmpl_ls_executable') : ''
endfunction

" As the Markdown linter's (not loaded for a YAML buffer): the nearest folder
" up holding a .tmpl-ls.json, else a .bmad-core folder, else the
" version-control root, else the file's own folder.
function! ale_linters#yaml#tmpl_ls#GetProjectRoot(buffer) abort
    let l:config = ale#path#FindNearestFile(a:buffer, '.tmpl-ls.json')

    if !empty(l:config)
        return fnamemodify(l:config, ':h')
    endif

    for l:marker in ['.bmad-core', '.git']
        let l:dir = ale#path#FindNearestDirectory(a:buffer, l:marker)

        if !empty(l:dir)
            return fnamemodify(l:dir, ':h:h')
        endif
    endfor

    let l:file = expand('#' . a:buffer . ':p')

    return empty(l:file) ? '' : fnamemodify(l:file, ':h')
endfunction

call ale#linter#Define('yaml', {
\   'name': 'tmpl_ls',
\   'aliases': ['tmpl-ls'],
\   'lsp': 'stdio',
\   'language': 'yaml',
\   'executable': function('ale_linters#yaml#tmpl_ls#GetExecutable'),
\   'command': {b -> '%e' . ale#Pad(ale#Var(b, 'markdown_tmpl_ls_options'))},
\   'project_root': function('ale_linters#yaml#tmpl_ls#GetProjectRoot'),
\   'initialization_options': {b -> ale#Var(b, 'markdown_tmpl_ls_config')},
\   'lsp_config': {b -> {'tmpl-ls': ale#Var(b, 'markdown_tmpl_ls_config')}},
\})
