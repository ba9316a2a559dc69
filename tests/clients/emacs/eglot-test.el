;;; eglot-test.el --- Eglot against the real tmpl-ls  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by run.sh: HOME=<scratch> emacs --batch -Q -l eglot-test.el </dev/null
;; Loads clients/emacs/tmpl-ls.el, copies examples/workspace to a
;; temporary directory and drives Eglot 1.9 (Debian's elpa-eglot) there.

;;; Code:

(load (expand-file-name "common.el" (file-name-directory load-file-name)) nil t)
(require 'eglot)
(require 'markdown-mode)
(require 'tmpl-ls)

(setq tt-prefix "eglot: "
      tmpl-ls-command (list tt-server)
      eglot-sync-connect 10             ; `eglot-ensure' blocks until initialized
      eglot-autoshutdown t)

(defconst tt-doc "docs/infrastructure-architecture.md")
(defconst tt-tmpl ".bmad-core/templates/infrastructure-architecture-tmpl.md")

(defun tt-lsp-diag (d)
  "The LSP diagnostic behind flymake diagnostic D (a plist), or nil."
  (cdr (assq 'eglot-lsp-diag (flymake-diagnostic-data d))))

(defun tt-diags ()
  "The buffer's flymake diagnostics from tmpl-ls, as sorted (LINE . CODE)."
  (tt-sort-diags
   (cl-loop for d in (flymake-diagnostics)
            for code = (plist-get (tt-lsp-diag d) :code)
            when (and code
                      ;; Eglot 1.9 writes "SOURCE [CODE]: MESSAGE".
                      (string-prefix-p (format "tmpl-ls [%s]: " code)
                                       (flymake-diagnostic-text d)))
            collect (cons (line-number-at-pos (flymake-diagnostic-beg d)) code))))

(defun tt-diag-with (code)
  "The first flymake diagnostic with CODE."
  (cl-find-if (lambda (d) (equal (plist-get (tt-lsp-diag d) :code) code))
              (flymake-diagnostics)))

(defun tt-wait-codes (codes &optional secs)
  "Wait until the buffer's diagnostic codes are CODES (sorted as given)."
  (tt-wait (lambda () (equal (sort (tt-codes (tt-diags)) #'string<)
                             (sort (copy-sequence codes) #'string<)))
           secs))

(defun tt-apply-action (code title-regexp)
  "Run the code action whose title matches TITLE-REGEXP on the CODE diagnostic.
The user's path: point on the diagnostic, M-x eglot-code-actions, pick
the title.  Return the title picked."
  (let ((d (tt-diag-with code)) picked)
    (unless d (error "No %s diagnostic" code))
    (goto-char (flymake-diagnostic-beg d))
    (setq tt-offered nil)
    ;; Batch: `last-nonmenu-event' is nil, so Eglot would pop up a menu;
    ;; a key event makes it use `completing-read', answered here.
    (let ((last-nonmenu-event ?\r))
      (cl-letf (((symbol-function 'completing-read)
                 (tt-answer-completing-read
                  (lambda (cands)
                    (setq picked (cl-find-if (lambda (c) (string-match-p title-regexp c))
                                             cands))))))
        (call-interactively #'eglot-code-actions)))
    picked))

(tt-run
 (let* ((ws (tt-fixture))
        (cli (tt-cli-diagnostics ws tt-doc))
        (cli-codes (tt-codes cli)))
   (tt-project-root ws)
   (tt-require "the CLI reports the expected codes on the copy"
               (cl-subsetp '("unfilled-placeholder" "missing-section" "leftover-example"
                             "leftover-instruction")
                           cli-codes :test #'equal)
               (or cli "tmpl-ls check printed no diagnostics"))

   ;; Connect as a user does: (add-hook 'markdown-mode-hook #'eglot-ensure).
   (add-hook 'markdown-mode-hook #'eglot-ensure)
   (find-file (expand-file-name tt-doc ws))
   (run-hooks 'post-command-hook)     ; where `eglot-ensure' connects
   (let ((server (tt-wait #'eglot-current-server)))
     (tt-require "connects for the document in markdown-mode"
                 (and (eq major-mode 'markdown-mode)
                      server
                      (object-of-class-p server 'tmpl-ls-eglot-server)
                      (equal (plist-get (eglot--server-info server) :name) "tmpl-ls")
                      (eglot-managed-p))
                 (list major-mode server)))
   (flymake-start)

   (tt-check "flymake diagnostics are the CLI's (line and code)"
             (tt-wait (lambda () (equal (tt-diags) cli)))
             (format "flymake %S, cli %S" (tt-diags) cli))

   ;; Settings changed in the session: tmpl-ls-apply-settings sends an
   ;; empty didChangeConfiguration, so the server pulls the "tmpl-ls"
   ;; section with workspace/configuration.
   (setq tmpl-ls-settings '(:diagnostics (:missing-section "off")))
   (tmpl-ls-apply-settings)
   (tt-check "tmpl-ls-settings missing-section off (workspace/configuration)"
             (tt-wait-codes (remove "missing-section" cli-codes))
             (tt-diags))

   ;; A "tmpl-ls" section in eglot-workspace-configuration wins.
   (setq-default eglot-workspace-configuration
                 '(:tmpl-ls (:diagnostics (:missing-section "warning"))))
   (tmpl-ls-apply-settings)
   (tt-check "eglot-workspace-configuration's tmpl-ls section takes precedence"
             (tt-wait (lambda () (let ((d (tt-diag-with "missing-section")))
                                   (and d (eq (flymake-diagnostic-type d) 'eglot-warning)))))
             (tt-diags))
   (setq-default eglot-workspace-configuration nil)

   (setq tmpl-ls-settings nil)
   (tmpl-ls-apply-settings)
   (tt-check "settings cleared: missing-section is back as a note"
             (tt-wait (lambda () (let ((d (tt-diag-with "missing-section")))
                                   (and d (eq (flymake-diagnostic-type d) 'eglot-note)
                                        (equal (tt-diags) cli)))))
             (tt-diags))

   ;; Quick fix: insert the missing section.
   (let* ((missing (flymake-diagnostic-text (tt-diag-with "missing-section")))
          (heading (and (string-match "\"\\(#+ [^\"]+\\)\"" missing) (match-string 1 missing)))
          (title (tt-apply-action "missing-section" "\\`Insert missing section ")))
     (tt-check "offers \"Insert missing section ...\"" title tt-offered)
     (tt-check "the action inserts the heading"
               (and heading (save-excursion
                              (goto-char (point-min))
                              (re-search-forward (concat "^" (regexp-quote heading) "$") nil t)))
               (format "%S after %S" heading title))
     (tt-check "the re-published diagnostics have no missing-section"
               (tt-wait-codes (remove "missing-section" cli-codes))
               (tt-diags)))

   ;; Quick fix: a suppression comment.
   (let* ((line (car (rassoc "unfilled-placeholder" (tt-diags))))
          (title (tt-apply-action "unfilled-placeholder"
                                  "\\`Turn off unfilled-placeholder on this line\\'")))
     (tt-check "offers \"Turn off unfilled-placeholder on this line\"" title tt-offered)
     (tt-check "the action inserts the disable-next-line comment above"
               (equal (tt-line-of "^<!-- tmpl-ls-disable-next-line unfilled-placeholder -->$")
                      line)
               (format "comment at line %S, diagnostic was at %S"
                       (tt-line-of "tmpl-ls-disable-next-line") line))
     (tt-check "the unfilled-placeholder diagnostic disappears"
               (tt-wait-codes (cl-set-difference cli-codes '("missing-section" "unfilled-placeholder")
                                                 :test #'equal))
               (tt-diags)))

   ;; The template: hover (through eldoc) and completion.
   (find-file (expand-file-name tt-tmpl ws))
   (run-hooks 'post-command-hook)
   (tt-check "the template is managed by the same server, in bmad-template-mode"
             (tt-wait (lambda () (and (eq major-mode 'bmad-template-mode) (eglot-managed-p)
                                      (object-of-class-p (eglot-current-server)
                                                         'tmpl-ls-eglot-server)))))
   (goto-char (point-min))
   (search-forward "{{Project")
   (let (hover)
     (eglot-hover-eldoc-function (lambda (info &rest _) (setq hover (or info 'none))))
     (tt-wait (lambda () hover))
     (tt-check "hover on a placeholder in the template"
               (and (stringp hover) (string-match-p "Placeholder" hover)
                    (string-match-p "Project Name" hover))
               hover))

   (goto-char (point-min))
   (re-search-forward "^## Infrastructure Overview\n")
   (insert "\nClass: {{\n")
   (backward-char 1)
   (let* ((capf (eglot-completion-at-point))
          (cands (and capf (all-completions "" (nth 2 capf)))))
     (tt-check "completion after {{ in the template"
               (and (member "Project Name" cands) (member "environment_data_class" cands))
               cands))
   (insert "environment_data")
   (let ((completion-in-region-function #'completion--in-region))
     (completion-at-point))            ; the only candidate: inserted
   (tt-check "completion-at-point inserts the placeholder"
             (equal (buffer-substring (line-beginning-position) (line-end-position))
                    "Class: {{environment_data_class}}")
             (buffer-substring (line-beginning-position) (line-end-position)))
   (set-buffer-modified-p nil)

   ;; A YAML template: bmad-template-yaml-mode (derived from yaml-mode),
   ;; the same server, the CLI's diagnostics, and again after an edit.
   (add-hook 'bmad-template-yaml-mode-hook #'eglot-ensure)
   (let ((server (eglot-current-server))
         (cli-y (tt-cli-diagnostics ws tt-ytmpl)))
     (tt-require "the CLI reports YAML diagnostics for the YAML template"
                 (cl-subsetp '("yaml-syntax" "duplicate-id" "wrong-type") (tt-codes cli-y) :test #'equal)
                 cli-y)
     (find-file (expand-file-name tt-ytmpl ws))
     (run-hooks 'post-command-hook)
     (tt-check "the YAML template is managed by the same server, in bmad-template-yaml-mode"
               (and (eq major-mode 'bmad-template-yaml-mode) (derived-mode-p 'yaml-mode)
                    (tt-wait (lambda () (and (eglot-managed-p) (eq (eglot-current-server) server)))))
               (list major-mode (eglot-current-server)))
     (flymake-start)
     (tt-check "flymake diagnostics of the YAML template are the CLI's"
               (tt-wait (lambda () (equal (tt-diags) cli-y)))
               (format "flymake %S, cli %S" (tt-diags) cli-y))
     (tt-fix-repeatable)
     (tt-check "an edit re-checks the YAML template (wrong-type gone)"
               (tt-wait (lambda () (equal (tt-diags) (cl-remove "wrong-type" cli-y :key #'cdr :test #'equal))))
               (tt-diags))
     (set-buffer-modified-p nil)

     ;; A document written from the YAML template.
     (let ((cli-d (tt-cli-diagnostics ws tt-ydoc)))
       (find-file (expand-file-name tt-ydoc ws))
       (run-hooks 'post-command-hook)
       (tt-check "a document of the YAML template: the same server"
                 (tt-wait (lambda () (eq (eglot-current-server) server))))
       (flymake-start)
       (tt-check "flymake diagnostics of the document of the YAML template are the CLI's"
                 (and (member "missing-section" (tt-codes cli-d))
                      (tt-wait (lambda () (equal (tt-diags) cli-d)))
                      (string-match-p "## Test Plan" (flymake-diagnostic-text (tt-diag-with "missing-section"))))
                 (format "flymake %S, cli %S" (tt-diags) cli-d))))

   ;; Other YAML keeps Eglot's YAML entry.
   (cl-flet ((contact (mode) (nth 2 (eglot--lookup-mode mode))))
     (tt-check "yaml-mode keeps yaml-language-server, bmad-template-yaml-mode gets tmpl-ls"
               (and (equal (contact 'yaml-mode) '("yaml-language-server" "--stdio"))
                    (eq (contact 'bmad-template-yaml-mode) #'tmpl-ls--eglot-contact))
               (mapcar #'contact '(yaml-mode bmad-template-yaml-mode))))
   (find-file (expand-file-name "config.yaml" ws))
   (tt-check "other YAML opens in yaml-mode" (eq major-mode 'yaml-mode) major-mode)
   (kill-buffer)
   (find-file (expand-file-name tt-tmpl ws))

   ;; Settings given when the server starts (initializationOptions and the
   ;; first workspace/configuration pull), in a gfm-mode buffer this time.
   (eglot-shutdown (eglot-current-server))
   (setq tmpl-ls-settings '(:diagnostics (:leftover-example off)))
   (let ((ws2 (tt-fixture))
         (auto-mode-alist (cons '("\\.md\\'" . gfm-mode) auto-mode-alist)))
     (tt-project-root ws2)
     (find-file (expand-file-name tt-doc ws2))
     (run-hooks 'post-command-hook)
     (let ((server (tt-wait #'eglot-current-server)))
       (tt-check "connects for the document in gfm-mode"
                 (and (eq major-mode 'gfm-mode) server
                      (object-of-class-p server 'tmpl-ls-eglot-server)
                      (equal (eglot--language-id server) "markdown"))
                 (list major-mode server)))
     (flymake-start)
     (tt-check "tmpl-ls-settings at startup: leftover-example off"
               (tt-wait-codes (remove "leftover-example" cli-codes))
               (tt-diags))
     (set-buffer-modified-p nil)
     (eglot-shutdown (eglot-current-server)))))

;;; eglot-test.el ends here
