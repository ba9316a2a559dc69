;;; lsp-json-test.el --- the README's lsp-mode snippet for the .tmpl-ls.json schema  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by run.sh: HOME=<scratch> emacs --batch -Q -l lsp-json-test.el </dev/null
;; lsp-mode 8.0's json-ls client (lsp-json) with the README's
;; `lsp-json-schemas' (SNIPPET_EL, pointed at this repository), against
;; the real vscode-json-language-server (JSONLS_BIN holds it under the
;; name lsp-mode 8.0 runs, vscode-json-languageserver).  A wrong
;; .tmpl-ls.json gets the schema's diagnostics, the README's example none.

;;; Code:

(load (expand-file-name "../emacs/common.el" (file-name-directory load-file-name)) nil t)
(setq tt-prefix "lsp-mode json-ls: ")
(setq lsp-client-packages '(lsp-json)
      lsp-session-file (expand-file-name "lsp-session" (make-temp-file "tmpl-ls-lsp" t))
      lsp-diagnostics-provider :none
      lsp-enable-snippet nil
      lsp-headerline-breadcrumb-enable nil
      lsp-modeline-code-actions-enable nil
      lsp-modeline-diagnostics-enable nil
      lsp-lens-enable nil
      lsp-enable-file-watchers nil
      lsp-keep-workspace-alive nil
      lsp-restart 'ignore)
(push (getenv "JSONLS_BIN") exec-path)
(require 'lsp-mode)
(require 'lsp-json)

(defun tt-json-diags (file)
  "The sorted 1-based lines of lsp-mode's diagnostics for FILE."
  (sort (mapcar (lambda (d) (1+ (lsp-get (lsp-get (lsp-get d :range) :start) :line)))
                (gethash (lsp--fix-path-casing file) (lsp-diagnostics t)))
        #'<))

(tt-run
 (load (getenv "SNIPPET_EL") nil t)     ; the README's (setq lsp-json-schemas ...)
 (tt-require "the snippet sets lsp-json-schemas" (vectorp lsp-json-schemas) lsp-json-schemas)
 (let* ((ws (file-name-as-directory (make-temp-file "tmpl-ls-json" t)))
        (bad (expand-file-name "bad/.tmpl-ls.json" ws))
        (good (expand-file-name "good/.tmpl-ls.json" ws)))
   (push (lambda () (delete-directory ws t)) tt-cleanup)
   (make-directory (file-name-directory bad) t)
   (make-directory (file-name-directory good) t)
   (with-temp-file bad
     (insert "{\n  \"diagnostics\": { \"section-order\": \"ignore\" },\n  \"matchThreshold\": 0,\n  \"template\": {}\n}\n"))
   (copy-file (getenv "GOOD") good)
   (lsp-workspace-folders-add ws)
   (find-file bad)
   (lsp)
   (tt-require "json-ls starts for .tmpl-ls.json"
               (tt-wait (lambda () (cl-some (lambda (w) (eq (lsp--workspace-status w) 'initialized))
                                            (lsp-workspaces)))
                        15)
               (list major-mode (lsp-workspaces)))
   (tt-check "a wrong .tmpl-ls.json: the schema marks lines 2, 3 and 4"
             (tt-wait (lambda () (equal (tt-json-diags bad) '(2 3 4))) 15)
             (tt-json-diags bad))
   (find-file good)
   (lsp)
   ;; The server publishes at once (an empty list lsp-mode does not
   ;; keep): give any diagnostic 3 s to show up.
   (tt-wait (lambda () (tt-json-diags good)) 3)
   (tt-check "the README's .tmpl-ls.json example: no diagnostic"
             (null (tt-json-diags good)) (tt-json-diags good))
   (lsp-workspace-shutdown (car (lsp-workspaces)))))

;;; lsp-json-test.el ends here
