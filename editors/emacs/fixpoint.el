;;; fixpoint.el --- Ask Fixpoint for a verified fix, watch it, read the diff  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: tools, languages

;;; Commentary:

;; Fixpoint is a language server hosting a coding agent.  This package talks to `fixpoint serve'
;; through eglot (Debian's elpa-eglot 1.9 on Emacs 28, or the eglot built into Emacs 29+):
;;
;;   (add-to-list 'load-path "/path/to/fixpoint/editors/emacs")
;;   (require 'fixpoint)
;;
;; M-x fixpoint-fix      ask for a fix (prompted; default: the error at point, or the region)
;; M-x fixpoint-cancel   stop the run
;; M-x fixpoint-log      the *fixpoint* buffer, filled live from `fixpoint/step'
;; The finished run's patch opens in *fixpoint-diff*: C-c C-c (fixpoint-accept) writes it,
;; C-c C-k (fixpoint-reject) discards it.  Progress shows in the mode line.
;;
;; Nothing is written before you accept: the server is asked not to send `workspace/applyEdit'
;; (eglot 1.9 would apply it, or ask y-or-n-p, without showing the change) and the accepted patch is
;; written by the server's `fixpoint.applyFix', all files or none.

;;; Code:

(require 'cl-lib)
(require 'diff-mode)
(require 'eglot)
(require 'jsonrpc)
(require 'project)
(require 'subr-x)

(defgroup fixpoint nil
  "Fixpoint, a language server that fixes issues with verified patches."
  :group 'tools
  :prefix "fixpoint-")

(defcustom fixpoint-command '("fixpoint" "serve")
  "The command that starts the Fixpoint language server."
  :type '(repeat string))

(defcustom fixpoint-initialization-options nil
  "Settings sent as `initializationOptions', a plist.
For example (:testCommand \"make test\" :maxSteps 100
             :modelUrl \"http://127.0.0.1:8080/v1\").
The folder's fixpoint.toml may set them instead (docs/protocol.md)."
  :type 'plist)

(defcustom fixpoint-major-modes '(python-mode c-mode c++-mode js-mode sh-mode)
  "Major modes for which `eglot' starts Fixpoint (via `eglot-server-programs').
`fixpoint-fix' works in any file of a git repository regardless."
  :type '(repeat symbol))

(cl-defstruct (fixpoint--run (:constructor fixpoint--run-create))
  server root id state report diff progress)

(defvar fixpoint--current nil
  "The run this Emacs started last, a `fixpoint--run'.
Its state is one of `running', `cancelling', `cancelled', `preview',
`applied', `rejected', `done' or `failed'.")

(defvar fixpoint-mode-line ""
  "What the mode line shows about the current run.")
(put 'fixpoint-mode-line 'risky-local-variable t)

(defconst fixpoint--log-buffer "*fixpoint*")
(defconst fixpoint--diff-buffer "*fixpoint-diff*")

;;;; Server

(defun fixpoint--contact (&optional _interactive)
  "The eglot contact for Fixpoint: the command and its initialization options."
  (append fixpoint-command
          (list :initializationOptions
                (append '(:previewEdits t) fixpoint-initialization-options))))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs (cons fixpoint-major-modes #'fixpoint--contact)))

(defun fixpoint--server ()
  "The Fixpoint server of this buffer's project, started if need be."
  (unless buffer-file-name (user-error "Fixpoint: this buffer is not a file"))
  (unless (project-current) (user-error "Fixpoint: %s is not in a project (a git repository)" buffer-file-name))
  (or (eglot-current-server)
      (let ((eglot-server-programs (cons (cons major-mode #'fixpoint--contact) eglot-server-programs)))
        (apply #'eglot (eglot--guess-contact))
        (or (eglot-current-server) (user-error "Fixpoint: the server did not start (see the events buffer)")))))

(defun fixpoint--command (server command argument on-success &optional on-error)
  "Send COMMAND with ARGUMENT (a plist) to SERVER.
Call ON-SUCCESS or ON-ERROR with the answer."
  (jsonrpc-async-request
   server :workspace/executeCommand
   (list :command command :arguments (vector (or argument (make-hash-table))))
   :success-fn on-success
   :error-fn (or on-error (lambda (err) (fixpoint--fail (plist-get err :message))))
   :timeout-fn #'ignore
   ;; A run takes minutes; the default timeout (10 s) would drop its answer.
   :timeout 86400))

;;;; What the user sees

(defun fixpoint--set-state (state text &optional message)
  "Put the current run in STATE and show TEXT in the mode line.
Echo it too when MESSAGE is non-nil."
  (when fixpoint--current (setf (fixpoint--run-state fixpoint--current) state))
  (setq fixpoint-mode-line (concat " " text))
  (unless (member '(:eval fixpoint-mode-line) global-mode-string)
    (setq global-mode-string (append (or global-mode-string '("")) '((:eval fixpoint-mode-line)))))
  (force-mode-line-update t)
  (when message (message "%s" text)))

(defun fixpoint--fail (text)
  "The run failed with TEXT."
  (fixpoint--set-state 'failed (format "Fixpoint: %s" text) t))

(defun fixpoint--log (line)
  "Append LINE to the *fixpoint* buffer."
  (with-current-buffer (get-buffer-create fixpoint--log-buffer)
    (unless (derived-mode-p 'special-mode) (special-mode))
    (let ((inhibit-read-only t)
          (at-end (= (point) (point-max))))
      (save-excursion
        (goto-char (point-max))
        (insert line "\n"))
      (when at-end (goto-char (point-max)))
      (dolist (window (get-buffer-window-list (current-buffer) nil t))
        (set-window-point window (point-max))))))

(defun fixpoint--step-line (step)
  "One `fixpoint/step' notification (a plist) as a log line."
  (if (equal (plist-get step :kind) "run_end")
      (format "[%s] end %s: %s" (plist-get step :runId) (plist-get step :outcome) (plist-get step :summary))
    (let ((tokens (+ (or (plist-get step :promptTokens) 0) (or (plist-get step :completionTokens) 0))))
      (concat (format "[%s] %s/%s %s" (plist-get step :runId) (plist-get step :step)
                      (plist-get step :maxSteps) (plist-get step :kind))
              (if-let ((tool (plist-get step :tool))) (concat " " tool) "")
              (if-let ((summary (plist-get step :summary))) (concat ": " summary) "")
              (if (> tokens 0) (format " (%d tok)" tokens) "")))))

(cl-defmethod eglot-handle-notification (_server (_method (eql fixpoint/step)) &rest step)
  "Log each step of a run, and keep the mode line current."
  (fixpoint--log (fixpoint--step-line step))
  (let ((run fixpoint--current)
        (kind (plist-get step :kind)))
    (when (and run (memq (fixpoint--run-state run) '(running cancelling)))
      (cond
       ((equal kind "run_end")
        (when (equal (plist-get step :outcome) "cancelled")
          (fixpoint--set-state 'cancelled "Fixpoint: cancelled; nothing was changed" t)))
       ((eq (fixpoint--run-state run) 'running)
        (unless (fixpoint--run-id run) (setf (fixpoint--run-id run) (plist-get step :runId)))
        (push step (fixpoint--run-progress run))
        (fixpoint--set-state 'running (format "Fixpoint %s %s/%s %s" (plist-get step :runId)
                                              (plist-get step :step) (plist-get step :maxSteps)
                                              (or (plist-get step :tool) kind))))))))

;;;; Commands

(defun fixpoint--issue-at-point ()
  "The region's text, or the message of the diagnostic at point, or nil."
  (cond
   ((use-region-p)
    (format "%s\n\n(selected in %s, lines %d-%d)"
            (buffer-substring-no-properties (region-beginning) (region-end))
            (file-relative-name buffer-file-name) (line-number-at-pos (region-beginning))
            (line-number-at-pos (region-end))))
   ((and (bound-and-true-p flymake-mode) (flymake-diagnostics (point)))
    (let ((diagnostic (car (flymake-diagnostics (point)))))
      (format "%s:%d: %s" (file-relative-name buffer-file-name) (line-number-at-pos)
              (flymake-diagnostic-text diagnostic))))))

;;;###autoload
(defun fixpoint-fix (issue)
  "Ask Fixpoint to fix ISSUE in this buffer's repository.
Interactively, the default is the region, or the diagnostic at point."
  (interactive
   (let ((default (fixpoint--issue-at-point)))
     (list (read-string (if default "Fix (RET: the selection or diagnostic): " "Fix: ") nil nil default))))
  (when (and fixpoint--current (memq (fixpoint--run-state fixpoint--current) '(running cancelling)))
    (user-error "Fixpoint: a run is in progress (M-x fixpoint-cancel stops it)"))
  (when (string-empty-p (string-trim (or issue "")))
    (user-error "Fixpoint: say what to fix"))
  (let* ((server (fixpoint--server))
         (run (fixpoint--run-create :server server :root (project-root (project-current)) :state 'running)))
    (setq fixpoint--current run)
    (fixpoint--close-diff)
    (fixpoint--set-state 'running "Fixpoint: starting" t)
    (fixpoint--command
     server "fixpoint.fixIssue" (list :issue issue)
     (lambda (report)
       (when (eq run fixpoint--current)
         (setf (fixpoint--run-report run) report)
         (let ((status (plist-get report :status)))
           (if (and (member status '("verified" "unverified"))
                    (not (string-empty-p (or (plist-get report :patch) ""))))
               (fixpoint--show-diff run)
             (fixpoint--set-state 'done (format "Fixpoint: %s (%s)" status
                                                (or (plist-get report :error) (plist-get report :end_reason)))
                                  t)))))
     (lambda (err)
       (when (eq run fixpoint--current)
         (if (eql (plist-get err :code) -32800)
             (fixpoint--set-state 'cancelled "Fixpoint: cancelled; nothing was changed" t)
           (fixpoint--fail (plist-get err :message))))))))

(defun fixpoint--show-diff (run)
  "Fetch RUN's proposed diff and show it for acceptance."
  (fixpoint--command
   (fixpoint--run-server run) "fixpoint.proposedDiff"
   (and (fixpoint--run-id run) (list :runId (fixpoint--run-id run)))
   (lambda (diff)
     (setf (fixpoint--run-id run) (plist-get diff :runId)
           (fixpoint--run-diff run) diff)
     (with-current-buffer (get-buffer-create fixpoint--diff-buffer)
       (let ((inhibit-read-only t))
         (erase-buffer)
         (insert (plist-get diff :patch))
         (fixpoint-diff-mode)
         (setq default-directory (file-name-as-directory (fixpoint--run-root run)))
         (setq header-line-format
               (format "Fixpoint %s: %s — C-c C-c accept, C-c C-k reject"
                       (plist-get diff :runId) (plist-get diff :summary)))
         (goto-char (point-min))))
     (display-buffer fixpoint--diff-buffer)
     (fixpoint--set-state 'preview (format "Fixpoint %s: %s — C-c C-c accept, C-c C-k reject"
                                           (plist-get diff :runId) (plist-get diff :summary))
                          t))))

(defvar fixpoint-diff-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "C-c C-c") #'fixpoint-accept)
    (define-key map (kbd "C-c C-k") #'fixpoint-reject)
    map)
  "Keys of the *fixpoint-diff* buffer.")

(define-derived-mode fixpoint-diff-mode diff-mode "Fixpoint-Diff"
  "The patch of a finished Fixpoint run, before it is written.
\\{fixpoint-diff-mode-map}"
  (setq buffer-read-only t))

(defun fixpoint--close-diff ()
  "Close the *fixpoint-diff* buffer, if any."
  (when-let ((buffer (get-buffer fixpoint--diff-buffer)))
    (dolist (window (get-buffer-window-list buffer nil t))
      (unless (one-window-p t window) (delete-window window)))
    (kill-buffer buffer)))

(defun fixpoint--previewed-run ()
  "The run whose diff is shown, or a user error."
  (let ((run fixpoint--current))
    (unless (and run (eq (fixpoint--run-state run) 'preview))
      (user-error "Fixpoint: no diff to accept or reject"))
    run))

(defun fixpoint-accept ()
  "Write the previewed fix to disk (all files or none); revert their buffers."
  (interactive)
  (let ((run (fixpoint--previewed-run)))
    (fixpoint--command
     (fixpoint--run-server run) "fixpoint.applyFix" (list :runId (fixpoint--run-id run))
     (lambda (result)
       (fixpoint--close-diff)
       (let ((applied (append (plist-get result :applied) nil)))
         (dolist (path applied)
           (when-let ((buffer (find-buffer-visiting (expand-file-name path (fixpoint--run-root run)))))
             (with-current-buffer buffer
               (unless (buffer-modified-p) (revert-buffer t t t)))))
         (fixpoint--set-state 'applied (format "Fixpoint %s: applied to %s" (fixpoint--run-id run)
                                               (string-join applied ", "))
                              t)))
     (lambda (err) (fixpoint--fail (format "not applied: %s" (plist-get err :message)))))))

(defun fixpoint-reject ()
  "Discard the previewed fix; nothing is written."
  (interactive)
  (let ((run (fixpoint--previewed-run)))
    (fixpoint--close-diff)
    (fixpoint--set-state 'rejected (format "Fixpoint %s: rejected; nothing was written" (fixpoint--run-id run)) t)))

(defun fixpoint-cancel ()
  "Cancel the run in progress."
  (interactive)
  (let ((run fixpoint--current))
    (unless (and run (eq (fixpoint--run-state run) 'running))
      (user-error "Fixpoint: no run in progress"))
    (fixpoint--set-state 'cancelling "Fixpoint: cancelling…")
    ;; Without a run id yet (no step arrived), every run of this repository's server is cancelled.
    (fixpoint--command (fixpoint--run-server run) "fixpoint.cancel"
                       (and (fixpoint--run-id run) (list :runId (fixpoint--run-id run)))
                       #'ignore)))

(defun fixpoint-log ()
  "Show the *fixpoint* log of run steps."
  (interactive)
  (let ((buffer (get-buffer-create fixpoint--log-buffer)))
    (with-current-buffer buffer (unless (derived-mode-p 'special-mode) (special-mode)))
    (display-buffer buffer)))

(provide 'fixpoint)
;;; fixpoint.el ends here
