;;; tmpl-ls.el --- Eglot and lsp-mode setup for tmpl-ls  -*- lexical-binding: t; -*-

;; Author: The tmpl-ls maintainers
;; Maintainer: The tmpl-ls maintainers
;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (markdown-mode "2.5"))
;; Keywords: languages, tools, convenience, wp

;; This file is not part of GNU Emacs.

;;; Commentary:

;; tmpl-ls is a language server for BMAD templates, in Markdown
;; (`*-tmpl.md') and in YAML (`*-tmpl.yaml'), and for the documents
;; written from them: diagnostics (unfilled placeholders, leftover
;; instructions, missing sections, ...), completion, hover, code
;; actions and more.
;;
;; This package gives templates major modes of their own:
;; `bmad-template-mode' (derived from `gfm-mode') for `*-tmpl.md' and
;; `*.tmpl.md', and `bmad-template-yaml-mode' (derived from `yaml-mode'
;; when it is installed) for `*-tmpl.yaml', `*.tmpl.yaml' (`.yml' too)
;; and YAML templates under a `templates' folder.  It tells Eglot and
;; lsp-mode how to run tmpl-ls for them and for the documents, in
;; `markdown-mode' and `gfm-mode' buffers:
;;
;; - Eglot: an entry in `eglot-server-programs' ahead of Eglot's own
;;   Markdown and YAML entries (marksman, yaml-language-server), for
;;   the two template modes and, unless `tmpl-ls-eglot-markdown' is
;;   nil, `markdown-mode' and `gfm-mode'.
;;   Its server answers the "tmpl-ls" section of workspace/configuration
;;   with `tmpl-ls-settings' and gets them as initializationOptions too.
;; - lsp-mode: a client with server id `tmpl-ls', an add-on by default
;;   (see `tmpl-ls-lsp-add-on'), so it runs beside another Markdown
;;   server such as marksman; its settings are registered with
;;   `lsp-register-custom-settings' under "tmpl-ls.*".
;;
;; Installed as a package (package-vc-install, use-package :vc), its
;; autoloads set this up as soon as Eglot or lsp-mode loads, and open
;; templates in their modes.  Then start the client as usual
;; (`bmad-template-mode' runs `markdown-mode-hook' too;
;; `bmad-template-yaml-mode' runs `yaml-mode-hook' when yaml-mode is
;; its parent):
;;
;;   (add-hook 'markdown-mode-hook #'eglot-ensure)   ; or #'lsp-deferred
;;   (add-hook 'bmad-template-yaml-mode-hook #'eglot-ensure)
;;
;; Settings (see the "Settings" section of the server's README):
;;
;;   (setq tmpl-ls-settings
;;         '(:diagnostics (:missing-section "off" :section-order "hint")
;;           :templates (("docs/prd*.md" . ".bmad-core/templates/prd-tmpl.md"))
;;           :matchThreshold 0.6))
;;
;; After a `setq' in a running session, M-x tmpl-ls-apply-settings
;; makes the running servers read them again (Customize does this by
;; itself).

;;; Code:

(require 'cl-lib)
(require 'markdown-mode)

(defgroup tmpl-ls nil
  "The tmpl-ls language server for BMAD templates (Markdown and YAML)."
  :group 'tools
  :prefix "tmpl-ls-")

(defcustom tmpl-ls-command '("tmpl-ls")
  "The command that runs tmpl-ls, as a program and its arguments.
The server speaks LSP on its standard input and output.  Use an
absolute file name when tmpl-ls is not on variable `exec-path'."
  :type '(repeat string)
  :group 'tmpl-ls)

(defun tmpl-ls--set-settings (symbol value)
  "Set SYMBOL to VALUE, then send the new settings to running servers."
  (set-default symbol value)
  (when (fboundp 'tmpl-ls-apply-settings)
    (tmpl-ls-apply-settings)))

(defcustom tmpl-ls-settings nil
  "Settings for tmpl-ls: the editor's \"tmpl-ls\" section.
A plist (or an alist with string keys) of the JSON object that the
server's README describes under \"Settings\":

  :diagnostics     a code's severity: \"error\", \"warning\",
                   \"information\", \"hint\" or \"off\"
  :templates       glob of document paths -> template file
  :matchThreshold  a number above 0 and at most 1

For example:

  (:diagnostics (:missing-section \"off\" :section-order \"hint\")
   :templates ((\"docs/prd*.md\" . \".bmad-core/templates/prd-tmpl.md\"))
   :matchThreshold 0.6)

Nested values may be plists (keyword keys) or alists (string or
symbol keys); symbol values such as `off' are sent as strings.  A
`.tmpl-ls.json' at the workspace root wins over these, key by key.

The server receives them as initializationOptions and answers to
its workspace/configuration requests.  With Eglot, a \"tmpl-ls\"
section in `eglot-workspace-configuration' (for example in a
.dir-locals.el) takes precedence over this variable."
  :type '(plist
          :tag "Settings"
          :options
          ((:diagnostics
            (alist :tag "Severity per diagnostic code"
                   :key-type (string :tag "Code")
                   :value-type (choice (const "error") (const "warning")
                                       (const "information") (const "hint")
                                       (const "off"))))
           (:templates
            (alist :tag "Template per document glob"
                   :key-type (string :tag "Glob")
                   :value-type (string :tag "Template file")))
           (:matchThreshold (number :tag "Match threshold"))))
  :initialize #'custom-initialize-default
  :set #'tmpl-ls--set-settings
  :group 'tmpl-ls)

(defcustom tmpl-ls-eglot-markdown t
  "Non-nil: Eglot runs tmpl-ls for Markdown documents too.
Eglot runs one server per buffer.  With t (the default), tmpl-ls
takes `markdown-mode' and `gfm-mode' from Eglot's own Markdown
entry (marksman): the documents written from templates get their
diagnostics (unfilled placeholders, leftover instructions, missing
sections), completion and quick fixes, but no Markdown buffer gets
marksman's link and reference features.  With nil, Markdown
buffers keep marksman and tmpl-ls serves only `bmad-template-mode'
\(the templates); documents are then checked only by `tmpl-ls
check' (or by lsp-mode, which runs tmpl-ls as an add-on beside
marksman).  Customize it, or set it before Eglot loads; after a
`setq', M-x tmpl-ls-eglot-reregister."
  :type 'boolean
  :set (lambda (symbol value)
         (set-default symbol value)
         (when (and (boundp 'eglot-server-programs) (fboundp 'tmpl-ls--eglot-register))
           (tmpl-ls--eglot-register)))
  :group 'tmpl-ls)

(defcustom tmpl-ls-lsp-add-on t
  "Non-nil: lsp-mode runs tmpl-ls beside the Markdown server it picks.
nil: tmpl-ls competes with the other Markdown servers by priority
\(`tmpl-ls-lsp-priority').  Set it before lsp-mode loads."
  :type 'boolean
  :group 'tmpl-ls)

(defcustom tmpl-ls-lsp-priority -2
  "The priority of the tmpl-ls client in lsp-mode.
It matters only when `tmpl-ls-lsp-add-on' is nil: the Markdown
server with the highest priority runs.  Set it before lsp-mode loads."
  :type 'integer
  :group 'tmpl-ls)

;;; The templates' major mode

;; gfm-mode, not markdown-mode: in GitHub Flavored Markdown (and
;; CommonMark) an underscore inside a word is not emphasis, and
;; placeholders are mostly snake_case ({{environment_data_class}}):
;; markdown-mode would show "_data_" in italics.  Templates are
;; GitHub-flavoured too (fenced code with a language, tables).

;;;###autoload
(define-derived-mode bmad-template-mode gfm-mode "BMAD-Template"
  "Major mode for BMAD document templates (`*-tmpl.md', `*.tmpl.md').
It is `gfm-mode' under its own name, so that a language client can
run tmpl-ls for templates and keep another Markdown server (such as
marksman) for other Markdown: Eglot picks one server per major mode.
It runs `gfm-mode-hook' and `markdown-mode-hook' before its own
hook, `bmad-template-mode-hook'.")

;;;###autoload
(add-to-list 'auto-mode-alist '("[-.]tmpl\\.md\\'" . bmad-template-mode))

;;; The YAML templates' major mode

;; yaml-mode when it is installed (MELPA's, Debian's elpa-yaml-mode);
;; else a mode of `text-mode' (as yaml-mode is) with YAML's comments.
(declare-function tmpl-ls-yaml-base-mode "tmpl-ls" ())
(if (require 'yaml-mode nil t)
    (defalias 'tmpl-ls-yaml-base-mode 'yaml-mode
      "The parent of `bmad-template-yaml-mode': `yaml-mode'.")
  (define-derived-mode tmpl-ls-yaml-base-mode text-mode "YAML"
    "The parent of `bmad-template-yaml-mode' when yaml-mode is not installed.
`text-mode' with YAML's `#' comments and two-space indentation."
    (modify-syntax-entry ?# "<" tmpl-ls-yaml-base-mode-syntax-table)
    (modify-syntax-entry ?\n ">" tmpl-ls-yaml-base-mode-syntax-table)
    (setq-local comment-start "# ")
    (setq-local comment-start-skip "#+\\s-*")
    (setq-local indent-tabs-mode nil)
    (setq-local tab-width 2)))

;;;###autoload
(define-derived-mode bmad-template-yaml-mode tmpl-ls-yaml-base-mode "BMAD-Template-YAML"
  "Major mode for BMAD YAML templates (`*-tmpl.yaml', `*.tmpl.yaml').
It is `yaml-mode' under its own name (a mode of `text-mode' when
yaml-mode is not installed), so that a language client can run
tmpl-ls for templates and keep another YAML server (such as
yaml-language-server) for other YAML: Eglot picks one server per
major mode.  With yaml-mode it runs `yaml-mode-hook' before its own
hook, `bmad-template-yaml-mode-hook'.  Besides the names, a YAML
file under a folder named `templates' opens in it when its top
level has both `template:' and `sections:'
\(`tmpl-ls-yaml-template-buffer-p').")

;;;###autoload
(add-to-list 'auto-mode-alist '("[-.]tmpl\\.ya?ml\\'" . bmad-template-yaml-mode))

;; Copied whole into the autoloads (a `defalias', not a `defun'): it
;; runs for every file visited, and loads nothing.
;;;###autoload
(defalias 'tmpl-ls-yaml-template-buffer-p
  (lambda ()
    "Non-nil when the buffer's file is a YAML template in a templates folder.
That is a `.yaml' or `.yml' file under a folder named `templates'
whose text has both `template:' and `sections:' at the start of a
line, as tmpl-ls tells them apart: other YAML there (a Helm chart's,
say) is left alone.  In `magic-mode-alist', for
`bmad-template-yaml-mode'."
    (and buffer-file-name
         (string-match-p "/templates/.*\\.ya?ml\\'" buffer-file-name)
         (save-excursion
           (save-restriction
             (widen)
             (let ((case-fold-search nil))
               (goto-char (point-min))
               (and (re-search-forward "^template:" nil t)
                    (progn (goto-char (point-min))
                           (re-search-forward "^sections:" nil t)))))))))

;;;###autoload
(add-to-list 'magic-mode-alist '(tmpl-ls-yaml-template-buffer-p . bmad-template-yaml-mode))

(defun tmpl-ls--yaml-template-p (file)
  "Non-nil when FILE, the current buffer's, is a YAML template."
  (and file
       (or (string-match-p "[-.]tmpl\\.ya?ml\\'" file)
           (tmpl-ls-yaml-template-buffer-p))))

(defconst tmpl-ls--template-modes '(bmad-template-mode bmad-template-yaml-mode)
  "The major modes of templates.")

(defconst tmpl-ls--modes '(bmad-template-mode bmad-template-yaml-mode markdown-mode gfm-mode)
  "The major modes tmpl-ls serves: templates first, then documents.")

(defun tmpl-ls--language-id (mode)
  "The LSP language id of major MODE."
  (if (eq mode 'bmad-template-yaml-mode) "yaml" "markdown"))

;;; Settings as JSON

(defun tmpl-ls--json-key (key)
  "KEY (a string, keyword or symbol) as a JSON object key."
  (cond ((stringp key) key)
        ((keywordp key) (substring (symbol-name key) 1))
        ((symbolp key) (symbol-name key))
        (t (format "%s" key))))

(defun tmpl-ls--json (value)
  "VALUE as an object that `json-serialize' writes as tmpl-ls expects.
Plists and alists become hash tables with string keys (keys whose
value is nil are left out), symbols other than t, nil and
`:json-false' become their names."
  (cond
   ((hash-table-p value) value)
   ((and (consp value) (keywordp (car value)) (cl-evenp (length value)))
    (let ((obj (make-hash-table :test #'equal)))
      (cl-loop for (k v) on value by #'cddr
               unless (null v)
               do (puthash (tmpl-ls--json-key k) (tmpl-ls--json v) obj))
      obj))
   ((and (consp value) (cl-every #'consp value))
    (let ((obj (make-hash-table :test #'equal)))
      (dolist (kv value)
        (unless (null (cdr kv))
          (puthash (tmpl-ls--json-key (car kv)) (tmpl-ls--json (cdr kv)) obj)))
      obj))
   ((vectorp value) (vconcat (mapcar #'tmpl-ls--json value)))
   ((memq value '(t :json-false)) value)
   ((keywordp value) (substring (symbol-name value) 1))
   ((and value (symbolp value)) (symbol-name value))
   (t value)))

(defun tmpl-ls-settings-object ()
  "The current `tmpl-ls-settings' as a hash table (the JSON object)."
  (or (tmpl-ls--json tmpl-ls-settings)
      (make-hash-table :test #'equal)))

;;; Eglot

;; Neither client is required: each part is set up when its client loads
;; (`with-eval-after-load'), since `eglot-server-programs' must not be
;; touched before Eglot defines it and `defclass' needs Eglot's class.

(defvar eglot-server-programs)
(declare-function eglot-current-server "eglot" ())
(declare-function eglot-managed-p "eglot" ())
(declare-function jsonrpc-notify "jsonrpc" (connection method params))
(declare-function object-of-class-p "eieio" (obj class))
;; Defined by the `defclass' below, when Eglot loads.
(declare-function tmpl-ls-eglot-server--eieio-childp "tmpl-ls" (obj))

(defun tmpl-ls--eglot-contact (&rest _)
  "The `eglot-server-programs' contact for tmpl-ls, read at connect time."
  (cons 'tmpl-ls-eglot-server tmpl-ls-command))

(defun tmpl-ls--eglot-entry ()
  "The entry of tmpl-ls in `eglot-server-programs'.
Its modes: the template modes, and the Markdown modes when
`tmpl-ls-eglot-markdown' is non-nil."
  (cons (mapcar (lambda (mode) (list mode :language-id (tmpl-ls--language-id mode)))
                (if tmpl-ls-eglot-markdown tmpl-ls--modes tmpl-ls--template-modes))
        #'tmpl-ls--eglot-contact))

(defun tmpl-ls--eglot-register ()
  "Put the tmpl-ls entry first in `eglot-server-programs', once.
The first entry whose mode the buffer's major mode is (or derives
from) wins, so this one comes ahead of Eglot's Markdown and YAML
entries (`bmad-template-yaml-mode' derives from `yaml-mode')."
  (setq eglot-server-programs
        (cons (tmpl-ls--eglot-entry)
              (cl-remove #'tmpl-ls--eglot-contact eglot-server-programs :key #'cdr))))

(defun tmpl-ls-eglot-reregister ()
  "Put tmpl-ls's entry in `eglot-server-programs' as the options say.
Run it after setting `tmpl-ls-eglot-markdown' with `setq'; servers
started from then on follow the new entry."
  (interactive)
  (if (boundp 'eglot-server-programs)
      (tmpl-ls--eglot-register)
    (user-error "Eglot is not loaded")))

(with-eval-after-load 'eglot
  (defclass tmpl-ls-eglot-server (eglot-lsp-server) ()
    :documentation "An Eglot connection to tmpl-ls.")

  (cl-defmethod eglot-initialization-options ((_server tmpl-ls-eglot-server))
    "Send `tmpl-ls-settings' with initialize."
    (tmpl-ls-settings-object))

  (cl-defmethod eglot-handle-request
    ((_server tmpl-ls-eglot-server) (_method (eql workspace/configuration))
     &key items &allow-other-keys)
    "Answer the \"tmpl-ls\" section with `tmpl-ls-settings'.
A section that `eglot-workspace-configuration' gives is kept."
    (let ((answers (cl-call-next-method)))
      (cl-map 'vector
              (lambda (item answer)
                (if (and (null answer)
                         (equal (plist-get item :section) "tmpl-ls"))
                    (tmpl-ls-settings-object)
                  answer))
              items answers)))

  (tmpl-ls--eglot-register))

;;; lsp-mode

(defvar lsp-language-id-configuration)
(defvar lsp--cur-workspace)
(declare-function lsp-register-client "lsp-mode" (client))
(declare-function make-lsp-client "lsp-mode" (&rest args))
(declare-function lsp-stdio-connection "lsp-mode" (command &optional test-command))
(declare-function lsp-register-custom-settings "lsp-mode" (props))
(declare-function lsp-notify "lsp-mode" (method params))
(declare-function lsp-workspaces "lsp-mode" ())
(declare-function lsp--workspace-client "lsp-mode" (workspace))
(declare-function lsp--client-server-id "lsp-mode" (client))

(defun tmpl-ls--setting (key)
  "The value of KEY (a string) in `tmpl-ls-settings', as JSON."
  (gethash key (tmpl-ls-settings-object)))

(defun tmpl-ls--lsp-activate-p (file mode)
  "Non-nil when lsp-mode should run tmpl-ls for FILE in major MODE.
The modes of `tmpl-ls--modes', and a YAML template (by its name, or
in a templates folder by its text) in `yaml-mode' or `yaml-ts-mode'
too, beside the YAML server there; other YAML never."
  (or (memq mode tmpl-ls--modes)
      (and (provided-mode-derived-p mode 'yaml-mode 'yaml-ts-mode)
           (tmpl-ls--yaml-template-p file))))

(with-eval-after-load 'lsp-mode
  (dolist (mode tmpl-ls--modes)
    (unless (assq mode lsp-language-id-configuration)
      (add-to-list 'lsp-language-id-configuration (cons mode (tmpl-ls--language-id mode)))))
  ;; workspace/configuration: lsp-mode builds the "tmpl-ls" section from
  ;; the settings registered under "tmpl-ls.".
  (lsp-register-custom-settings
   `(("tmpl-ls.diagnostics" ,(lambda () (tmpl-ls--setting "diagnostics")))
     ("tmpl-ls.templates" ,(lambda () (tmpl-ls--setting "templates")))
     ("tmpl-ls.matchThreshold" ,(lambda () (tmpl-ls--setting "matchThreshold")))))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () tmpl-ls-command))
    :activation-fn #'tmpl-ls--lsp-activate-p
    :server-id 'tmpl-ls
    :priority tmpl-ls-lsp-priority
    :add-on? tmpl-ls-lsp-add-on
    :initialization-options #'tmpl-ls-settings-object)))

;;; Both

;;;###autoload
(defun tmpl-ls-apply-settings ()
  "Make every running tmpl-ls server read `tmpl-ls-settings' again.
The servers then check their open files with the new settings."
  (interactive)
  (let ((eglot-servers nil) (lsp-servers nil))
    (dolist (buffer (buffer-list))
      (with-current-buffer buffer
        (when (and (fboundp 'eglot-managed-p) (eglot-managed-p))
          (let ((server (eglot-current-server)))
            (when (and server (object-of-class-p server 'tmpl-ls-eglot-server))
              (cl-pushnew server eglot-servers))))
        (when (and (bound-and-true-p lsp-mode) (fboundp 'lsp-workspaces))
          (dolist (ws (lsp-workspaces))
            (when (eq (lsp--client-server-id (lsp--workspace-client ws)) 'tmpl-ls)
              (cl-pushnew ws lsp-servers))))))
    ;; A notification without the "tmpl-ls" section: the server asks for
    ;; it with workspace/configuration, which each client answers as at
    ;; startup (with Eglot, `eglot-workspace-configuration' first).
    (dolist (server eglot-servers)
      (jsonrpc-notify server :workspace/didChangeConfiguration
                      (list :settings (make-hash-table))))
    (dolist (ws lsp-servers)
      (let ((lsp--cur-workspace ws))
        (lsp-notify "workspace/didChangeConfiguration"
                    (list :settings (make-hash-table)))))
    (when (called-interactively-p 'interactive)
      (message "tmpl-ls: settings sent to %d server(s)"
               (+ (length eglot-servers) (length lsp-servers))))))

;;;###autoload (with-eval-after-load 'eglot (require 'tmpl-ls))
;;;###autoload (with-eval-after-load 'lsp-mode (require 'tmpl-ls))

(provide 'tmpl-ls)
;;; tmpl-ls.el ends here
