;;; no-yaml-mode-test.el --- tmpl-ls without yaml-mode installed  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by run.sh: HOME=<scratch> emacs --batch -Q -l no-yaml-mode-test.el </dev/null
;; As eglot-test.el, but yaml-mode (Debian's elpa-yaml-mode) is neither
;; activated nor on `load-path': `bmad-template-yaml-mode' then derives
;; from tmpl-ls's own mode of `text-mode', and Eglot still runs tmpl-ls
;; for a YAML template.

;;; Code:

;; Before common.el's `package-initialize': leave yaml-mode out.
(defvar package-load-list)
(setq package-load-list '((yaml-mode nil) all))
(load (expand-file-name "common.el" (file-name-directory load-file-name)) nil t)
(setq load-path (cl-remove-if (lambda (dir) (string-match-p "yaml-mode" dir)) load-path))
(require 'eglot)
(require 'tmpl-ls)

(setq tt-prefix "no yaml-mode: "
      tmpl-ls-command (list tt-server)
      eglot-sync-connect 10)

(defun tt-diags ()
  "The buffer's flymake diagnostics from tmpl-ls, as sorted (LINE . CODE)."
  (tt-sort-diags
   (cl-loop for d in (flymake-diagnostics)
            for code = (plist-get (cdr (assq 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)
            when code collect (cons (line-number-at-pos (flymake-diagnostic-beg d)) code))))

(tt-run
 (tt-require "yaml-mode is not available"
             (and (not (featurep 'yaml-mode)) (not (locate-library "yaml-mode")))
             (locate-library "yaml-mode"))
 (let* ((ws (tt-fixture))
        (cli (tt-cli-diagnostics ws tt-ytmpl)))
   (tt-project-root ws)
   (add-hook 'bmad-template-yaml-mode-hook #'eglot-ensure)
   (find-file (expand-file-name tt-ytmpl ws))
   (tt-check "the YAML template opens in bmad-template-yaml-mode, a text-mode with # comments"
             (and (eq major-mode 'bmad-template-yaml-mode) (derived-mode-p 'text-mode)
                  (not (derived-mode-p 'yaml-mode)) (equal comment-start "# ")
                  (eq (char-syntax ?#) ?<))
             (list major-mode comment-start (string (char-syntax ?#))))
   (run-hooks 'post-command-hook)
   (tt-require "Eglot connects to tmpl-ls for it"
               (let ((server (tt-wait #'eglot-current-server 10)))
                 (and server (object-of-class-p server 'tmpl-ls-eglot-server)))
               (eglot-current-server))
   (flymake-start)
   (tt-check "flymake diagnostics of the YAML template are the CLI's"
             (and (member "yaml-syntax" (tt-codes cli))
                  (tt-wait (lambda () (equal (tt-diags) cli)) 10))
             (format "flymake %S, cli %S" (tt-diags) cli))
   (eglot-shutdown (eglot-current-server))))

;;; no-yaml-mode-test.el ends here
