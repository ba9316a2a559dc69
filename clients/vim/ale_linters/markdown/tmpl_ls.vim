" Author: The tmpl-ls maintainers
" Description: tmpl-ls, the language server for BMAD Markdown templates
" (`*-tmpl.md`) and the documents written from them, as an ALE linter
" (ale_linters/yaml/tmpl_ls.vim runs it for YAML templates, with these options):
" diagnostics, completion (ALE's completion, `:ALEComplete` or omnifunc),
" hover (`:ALEHover`), go to definition (`:ALEGoToDefinition`), code
" actions (`:ALECodeAction`).
"
" Install: put tmpl-ls on PATH (or set g:ale_markdown_tmpl_ls_executable)
" and add this folder (clients/vim of the tmpl-ls repository) to
" 'runtimepath' after ALE:
"
"   set runtimepath+=/path/to/tmpl-ls/clients/vim
"
" ALE runs every Markdown linter it finds unless g:ale_linters names them;
" then list this one: let g:ale_linters = {'markdown': ['tmpl_ls', ...]}.
"
" Options (global g:ale_markdown_tmpl_ls_* or per buffer b:ale_...):
"   executable  the server (default 'tmpl-ls')
"   options     arguments added to the command (e.g. '--log-level debug')
"   config      the editor's "tmpl-ls" settings, a Dictionary in the shape
"               of .tmpl-ls.json: {'diagnostics': {'section-order': 'off'}};
"               sent with initialize and with didChangeConfiguration. A
"               .tmpl-ls.json at the project root wins, key by key.

call ale#Set('markdown_tmpl_ls_executable', 'tmpl-ls')
call ale#Set('markdown_tmpl_ls_options', '')
call ale#Set('markdown_tmpl_ls_config', {})

" The project root, where the server looks for templates and .tmpl-ls.json:
" the nearest folder up holding a .tmpl-ls.json, else a .bmad-core folder,
" else the version-control root, else the file's own folder.
function! ale_linters#markdown#tmpl_ls#GetProjectRoot(buffer) abort
    let l:config = ale#path#FindNearestFile(a:buffer, '.tmpl-ls.json')

    if !empty(l:config)
        return fnamemodify(l:config, ':h')
    endif

    for l:marker in ['.bmad-core', '.git']
        let l:dir = ale#path#FindNearestDirectory(a:buffer, l:marker)

        if !empty(l:dir)
            " FindNearestDirectory returns the marker with a trailing slash.
            return fnamemodify(l:dir, ':h:h')
        endif
    endfor

    let l:file = expand('#' . a:buffer . ':p')

    return empty(l:file) ? '' : fnamemodify(l:file, ':h')
endfunction

function! ale_linters#markdown#tmpl_ls#GetCommand(buffer) abort
    return '%e' . ale#Pad(ale#Var(a:buffer, 'markdown_tmpl_ls_options'))
endfunction

call ale#linter#Define('markdown', {
\   'name': 'tmpl_ls',
\   'aliases': ['tmpl-ls'],
\   'lsp': 'stdio',
\   'language': 'markdown',
\   'executable': {b -> ale#Var(b, 'markdown_tmpl_ls_executable')},
\   'command': function('ale_linters#markdown#tmpl_ls#GetCommand'),
\   'project_root': function('ale_linters#markdown#tmpl_ls#GetProjectRoot'),
\   'initialization_options': {b -> ale#Var(b, 'markdown_tmpl_ls_config')},
\   'lsp_config': {b -> {'tmpl-ls': ale#Var(b, 'markdown_tmpl_ls_config')}},
\})
