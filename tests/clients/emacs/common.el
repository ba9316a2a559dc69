;;; common.el --- shared helpers for the Emacs client tests of tmpl-ls  -*- lexical-binding: t; -*-

;;; Commentary:

;; Loaded by eglot-test.el and lsp-mode-test.el under `emacs --batch -Q'
;; (run.sh runs them).  Environment: TMPL_LS (the server binary),
;; TMPL_LS_REPO (the repository root) and optionally TMPL_LS_LISP (a
;; directory holding tmpl-ls.elc).  Each check prints "ok NAME" or
;; "not ok NAME: WHY"; the exit status is 0 when every check passed.
;;
;; Batch Emacs never runs idle timers or `post-command-hook', so the wait
;; loop runs the pending idle timers by hand: that is where Eglot and
;; lsp-mode send textDocument/didChange and Flymake starts a check.

;;; Code:

(require 'package)
;; -Q implies --no-site-lisp: name Debian's elpa directory explicitly.
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa")
      package-user-dir (make-temp-file "tmpl-ls-elpa" t)
      package-check-signature nil)
(package-initialize)
(require 'cl-lib)
(require 'subr-x)
(require 'json)

(defvar tt-server (or (getenv "TMPL_LS") (error "TMPL_LS is not set")))
(defvar tt-repo (file-name-as-directory (or (getenv "TMPL_LS_REPO") (error "TMPL_LS_REPO is not set"))))
(defvar tt-passed 0)
(defvar tt-failed 0)
(defvar tt-prefix "" "Prepended to every check name.")
(defvar tt-cleanup nil "Functions to run before exiting.")
(defvar tt-offered nil "The candidates of the last stubbed `completing-read'.")
(push (lambda () (delete-directory package-user-dir t)) tt-cleanup)

;; run.sh byte-compiles tmpl-ls.el into TMPL_LS_LISP; else load the source.
(add-to-list 'load-path (or (getenv "TMPL_LS_LISP")
                            (expand-file-name "clients/emacs" tt-repo)))

(defun tt-check (name ok &optional why)
  "Report check NAME: passed when OK; WHY says what went wrong.
Return OK."
  (if ok
      (progn (setq tt-passed (1+ tt-passed))
             (princ (format "ok %s%s\n" tt-prefix name)))
    (setq tt-failed (1+ tt-failed))
    (princ (format "not ok %s%s: %s\n" tt-prefix name
                   (replace-regexp-in-string "\n" " " (format "%s" (or why "failed"))))))
  ok)

(defun tt-require (name ok &optional why)
  "Like `tt-check', but when OK is nil skip the remaining checks."
  (or (tt-check name ok why)
      (progn (princ (format "# %sthe remaining checks are skipped\n" tt-prefix))
             (throw 'tt-stop nil))))

(defun tt-idle ()
  "Run each pending idle timer once (batch Emacs is never idle)."
  (dolist (timer (copy-sequence timer-idle-list))
    (timer-event-handler timer)))

(defun tt-wait (pred &optional secs)
  "Pump process output and idle timers until PRED returns non-nil.
Give up after SECS (default 5) seconds.  Return PRED's value."
  (let ((deadline (+ (float-time) (or secs 5))) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (tt-idle)
      (accept-process-output nil 0.05))
    v))

(defun tt-fixture ()
  "Copy examples/workspace to a new temporary directory; return it."
  (let ((dir (file-name-as-directory (make-temp-file "tmpl-ls-ws" t))))
    (copy-directory (expand-file-name "examples/workspace" tt-repo) dir nil nil t)
    (push (lambda () (delete-directory dir t)) tt-cleanup)
    dir))

(defun tt-project-root (root)
  "Make project.el see ROOT as the project of the files under it.
The copy has no .git; in a real checkout the VC root does this."
  (add-hook 'project-find-functions
            (lambda (dir)
              (when (file-in-directory-p dir root)
                (cons 'transient root)))))

(defun tt-cli-diagnostics (root file)
  "The diagnostics `tmpl-ls check' gives for FILE (relative to ROOT).
A list of (LINE . CODE), LINE 1-based, sorted."
  (with-temp-buffer
    (let ((default-directory root))
      (call-process tt-server nil (list t nil) nil
                    "check" "--format" "json" "--root" root file))
    (goto-char (point-min))
    (let ((json-array-type 'list) (json-object-type 'plist))
      (tt-sort-diags
       (mapcar (lambda (d) (cons (plist-get d :line) (plist-get d :code)))
               (condition-case nil (json-read) (error nil)))))))

(defconst tt-ytmpl "templates/broken-tmpl.yaml" "A YAML template with mistakes.")
(defconst tt-ydoc "docs/stories/1.2.md" "A document written from templates/story-tmpl.yaml.")

(defun tt-fix-repeatable ()
  "Edit the YAML template in the buffer: `repeatable: maybe' becomes `true'.
That takes its wrong-type diagnostic away."
  (goto-char (point-min))
  (re-search-forward "^ *repeatable: \\(maybe\\)$")
  (replace-match "true" t t nil 1))

(defun tt-sort-diags (diags)
  "DIAGS, a list of (LINE . CODE), sorted."
  (sort (copy-sequence diags)
        (lambda (a b) (or (< (car a) (car b))
                          (and (= (car a) (car b)) (string< (cdr a) (cdr b)))))))

(defun tt-codes (diags)
  "The codes of DIAGS, a list of (LINE . CODE)."
  (mapcar #'cdr diags))

(defun tt-line-of (regexp)
  "The 1-based line of the first match of REGEXP in the buffer, or nil."
  (save-excursion
    (goto-char (point-min))
    (when (re-search-forward regexp nil t)
      (line-number-at-pos (match-beginning 0)))))

(defun tt-buffer-has (string)
  "Non-nil when the buffer contains STRING."
  (save-excursion (goto-char (point-min)) (search-forward string nil t)))

(defun tt-answer-completing-read (pick)
  "A `completing-read' stand-in that answers the candidate PICK chooses.
PICK is called with the candidates (strings); the titles offered are
recorded in `tt-offered'."
  (lambda (_prompt collection &rest _)
    (let ((cands (all-completions "" collection)))
      (setq tt-offered cands)
      (or (funcall pick cands) (error "No candidate to pick among %S" cands)))))

(defun tt-finish ()
  "Clean up and exit: 0 when no check failed."
  (dolist (f tt-cleanup) (ignore-errors (funcall f)))
  (kill-emacs (if (zerop tt-failed) 0 1)))

(defmacro tt-run (&rest body)
  "Run BODY, then `tt-finish'; a Lisp error is a failed check."
  `(progn
     (catch 'tt-stop
       (condition-case err
           (progn ,@body)
         (error (tt-check "no lisp error" nil (format "%S" err)))))
     (tt-finish)))

(provide 'common)
;;; common.el ends here
