;;; autoloads-test.el --- tmpl-ls installed as a package: only its autoloads  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by run.sh, after it generated tmpl-ls-autoloads.el beside
;; tmpl-ls.elc with `package-generate-autoloads' (what package.el and
;; package-vc do when they install a package):
;;   HOME=<scratch> emacs --batch -Q -l autoloads-test.el </dev/null
;; Loads ONLY the autoloads file (TMPL_LS_LISP is on `load-path', as
;; package activation leaves it), opens an `x-tmpl.md' and checks that it
;; is in `bmad-template-mode' and that Eglot 1.9 connects to the real
;; server and shows its diagnostics; then `tmpl-ls-eglot-markdown'; and
;; which YAML files open in `bmad-template-yaml-mode' (by name; in a
;; templates folder, by text, without loading tmpl-ls for other YAML).

;;; Code:

(load (expand-file-name "common.el" (file-name-directory load-file-name)) nil t)

(setq tt-prefix "autoloads: ")
(defvar tt-lisp (or (getenv "TMPL_LS_LISP") (error "TMPL_LS_LISP is not set")))
(defvar eglot-sync-connect)

(defconst tt-template-text
  "# X Template\n\n## Overview\n\n{{}}\n\n<<REPEAT section=\"item\">>\n\n### {{item_name}}\n"
  "A template with an empty placeholder and a REPEAT never closed.")

(defun tt-eglot-diags ()
  "The buffer's flymake diagnostics from tmpl-ls, as sorted (LINE . CODE)."
  (tt-sort-diags
   (cl-loop for d in (flymake-diagnostics)
            for code = (plist-get (cdr (assq 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)
            when code collect (cons (line-number-at-pos (flymake-diagnostic-beg d)) code))))

(defvar tt-late nil "Checks run last (they load tmpl-ls).")

(tt-run
 (load (expand-file-name "tmpl-ls-autoloads" tt-lisp) nil t)
 (tt-require "the autoloads load, tmpl-ls itself does not"
             (and (not (featurep 'tmpl-ls)) (autoloadp (symbol-function 'bmad-template-mode)))
             (list (featurep 'tmpl-ls) (symbol-function 'bmad-template-mode)))
 (tt-check "auto-mode-alist: *-tmpl.md and *.tmpl.md, not other Markdown"
           (equal (mapcar (lambda (f) (assoc-default f auto-mode-alist #'string-match))
                          '("docs/prd-tmpl.md" "docs/prd.tmpl.md" "docs/prd.md"))
                  '(bmad-template-mode bmad-template-mode markdown-mode))
           (mapcar (lambda (f) (assoc-default f auto-mode-alist #'string-match))
                   '("docs/prd-tmpl.md" "docs/prd.tmpl.md" "docs/prd.md")))
 (let ((names '("t/prd-tmpl.yaml" "t/prd.tmpl.yml" "t/config.yaml")))
   (tt-check "auto-mode-alist: *-tmpl.yaml and *.tmpl.yml, not other YAML"
             (equal (mapcar (lambda (f) (assoc-default f auto-mode-alist #'string-match)) names)
                    '(bmad-template-yaml-mode bmad-template-yaml-mode yaml-mode))
             (mapcar (lambda (f) (assoc-default f auto-mode-alist #'string-match)) names)))

 ;; In a templates folder: YAML that is no template (a Helm chart's, say)
 ;; opens in yaml-mode, and tmpl-ls is not loaded for it.
 (let ((dir (file-name-as-directory (make-temp-file "tmpl-ls-yaml" t))))
   (push (lambda () (delete-directory dir t)) tt-cleanup)
   (make-directory (expand-file-name "templates" dir))
   (with-temp-file (expand-file-name "templates/service.yaml" dir)
     (insert "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n"))
   (with-temp-file (expand-file-name "templates/agent.yaml" dir)
     (insert "# An agent brief\ntemplate:\n  id: agent-v1\n  name: Agent\nsections:\n  - id: purpose\n    title: Purpose\n"))
   (find-file (expand-file-name "templates/service.yaml" dir))
   (tt-check "templates/service.yaml (no template: and sections:) opens in yaml-mode, tmpl-ls not loaded"
             (and (eq major-mode 'yaml-mode) (not (featurep 'tmpl-ls)))
             (list major-mode (featurep 'tmpl-ls)))
   (kill-buffer)
   (push (lambda ()
           (find-file (expand-file-name "templates/agent.yaml" dir))
           (tt-check "templates/agent.yaml (template: and sections:) opens in bmad-template-yaml-mode"
                     (and (eq major-mode 'bmad-template-yaml-mode) (derived-mode-p 'yaml-mode))
                     major-mode)
           (kill-buffer))
         tt-late))

 (let* ((ws (tt-fixture))
        (file (expand-file-name "x-tmpl.md" ws)))
   (with-temp-file file (insert tt-template-text))
   (tt-project-root ws)
   (let ((cli (tt-cli-diagnostics ws "x-tmpl.md")))
     (tt-require "the CLI reports empty-placeholder and unclosed-block"
                 (equal (sort (tt-codes cli) #'string<) '("empty-placeholder" "unclosed-block"))
                 cli)
     ;; The user's init: the server's path and a hook, nothing required.
     (setq tmpl-ls-command (list tt-server)
           eglot-sync-connect 10)
     (add-hook 'markdown-mode-hook #'eglot-ensure)
     (find-file file)
     (tt-check "x-tmpl.md opens in bmad-template-mode (derived from gfm-mode)"
               (and (eq major-mode 'bmad-template-mode) (derived-mode-p 'gfm-mode)
                    (featurep 'tmpl-ls))
               major-mode)
     (run-hooks 'post-command-hook)     ; where `eglot-ensure' connects
     (let ((server (tt-wait (lambda () (and (fboundp 'eglot-current-server) (eglot-current-server))) 10)))
       (tt-require "Eglot connects to tmpl-ls for the template"
                   (and server (object-of-class-p server 'tmpl-ls-eglot-server)
                        (equal (plist-get (eglot--server-info server) :name) "tmpl-ls")
                        (equal (eglot--language-id server) "markdown"))
                   (list server eglot-server-programs)))
     (flymake-start)
     (tt-check "flymake shows the CLI's diagnostics for the template"
               (tt-wait (lambda () (equal (tt-eglot-diags) cli)) 10)
               (format "flymake %S, cli %S" (tt-eglot-diags) cli))
     (set-buffer-modified-p nil)

     ;; A document of the same project: the same server (the default,
     ;; tmpl-ls-eglot-markdown t).
     (let ((template-server (eglot-current-server)))
       (find-file (expand-file-name "docs/infrastructure-architecture.md" ws))
       (run-hooks 'post-command-hook)
       (tt-check "a document in markdown-mode gets the same tmpl-ls server"
                 (and (eq major-mode 'markdown-mode)
                      (tt-wait (lambda () (eq (eglot-current-server) template-server))))
                 (list major-mode (eglot-current-server))))

     ;; tmpl-ls-eglot-markdown: which entry each mode gets.
     (cl-flet ((contact (mode) (nth 2 (eglot--lookup-mode mode))))
       (tt-check "default: markdown-mode and gfm-mode get tmpl-ls's entry"
                 (and (eq (contact 'markdown-mode) #'tmpl-ls--eglot-contact)
                      (eq (contact 'gfm-mode) #'tmpl-ls--eglot-contact)
                      (eq (contact 'bmad-template-mode) #'tmpl-ls--eglot-contact))
                 (mapcar #'contact '(markdown-mode gfm-mode bmad-template-mode)))
       (customize-set-variable 'tmpl-ls-eglot-markdown nil)
       (tt-check "tmpl-ls-eglot-markdown nil: Markdown keeps Eglot's marksman, templates get tmpl-ls"
                 (and (equal (contact 'markdown-mode) '("marksman" "server"))
                      (eq (contact 'bmad-template-mode) #'tmpl-ls--eglot-contact)
                      (= 1 (cl-count #'tmpl-ls--eglot-contact eglot-server-programs :key #'cdr)))
                 (mapcar #'contact '(markdown-mode bmad-template-mode)))
       (customize-set-variable 'tmpl-ls-eglot-markdown t)
       (tt-check "and back: one entry, Markdown again"
                 (and (eq (contact 'markdown-mode) #'tmpl-ls--eglot-contact)
                      (= 1 (cl-count #'tmpl-ls--eglot-contact eglot-server-programs :key #'cdr)))
                 (contact 'markdown-mode)))
     (set-buffer-modified-p nil)
     (eglot-shutdown (eglot-current-server))))
 (mapc #'funcall tt-late))

;;; autoloads-test.el ends here
