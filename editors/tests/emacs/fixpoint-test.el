;;; fixpoint-test.el --- Emacs + eglot test of fixpoint.el against a real server  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by editors/tests/test_editors.py:
;;   emacs -Q --batch -l ert -l editors/tests/emacs/fixpoint-test.el -f ert-run-tests-batch-and-exit
;; Environment as for the Neovim test (editors/tests/nvim/init.lua): FIXPOINT_TEST_SCENARIO
;; (accept | reject | cancel), FIXPOINT_TEST_REPO, FIXPOINT_TEST_SERVER, FIXPOINT_TEST_MODEL_LOG,
;; FIXPOINT_TEST_RESULT.

;;; Code:

(require 'package)
;; Debian's elpa-eglot lives here; -Q skips the site start-up that would add it.
(setq package-directory-list (list "/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(add-to-list 'load-path (expand-file-name "../../emacs" (file-name-directory (or load-file-name buffer-file-name))))
(require 'ert)
(require 'json)
(require 'fixpoint)

(defvar fixpoint-test--seen nil "What the test observed, written to FIXPOINT_TEST_RESULT.")

(defun fixpoint-test--wait (what seconds predicate)
  "Process input until PREDICATE holds, or fail with WHAT after SECONDS."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (push (format "%s %s" (if (funcall predicate) "ok  " "FAIL") what) fixpoint-test--seen)
    (should (funcall predicate))))

(defun fixpoint-test--state ()
  "The current run's state."
  (and fixpoint--current (fixpoint--run-state fixpoint--current)))

(defun fixpoint-test--write-result ()
  "Record what was seen for the harness."
  (with-temp-file (getenv "FIXPOINT_TEST_RESULT")
    (insert (json-encode
             (list (cons 'scenario (getenv "FIXPOINT_TEST_SCENARIO"))
                   (cons 'emacs emacs-version)
                   (cons 'eglot (if (boundp 'eglot-version) eglot-version "built-in"))
                   (cons 'checks (vconcat (reverse fixpoint-test--seen)))
                   (cons 'state (format "%s" (fixpoint-test--state)))
                   (cons 'mode_line fixpoint-mode-line)
                   (cons 'log (with-current-buffer (get-buffer-create fixpoint--log-buffer)
                                (vconcat (split-string (buffer-string) "\n" t)))))))))

(ert-deftest fixpoint-editor-scenario ()
  "Fix, preview, then accept / reject; or cancel a run: as a user would, through eglot."
  (let* ((scenario (getenv "FIXPOINT_TEST_SCENARIO"))
         (repo (getenv "FIXPOINT_TEST_REPO"))
         (fixpoint-command (split-string (getenv "FIXPOINT_TEST_SERVER")))
         (eglot-sync-connect 30)
         (file (find-file-noselect (expand-file-name "numbers_util.py" repo))))
    (unwind-protect
        (with-current-buffer file
          (should (eq major-mode 'python-mode))
          (if (equal scenario "cancel")
              ;; The region is the issue.
              (progn
                (transient-mark-mode 1)
                (goto-char (point-min))
                (forward-line 3)
                (push-mark (point) t t)
                (forward-line 3)
                (let ((issue (fixpoint--issue-at-point)))
                  (should (string-match-p "def is_even(n):" issue))
                  (should (string-match-p "(selected in numbers_util.py, lines 4-7)" issue))
                  (fixpoint-fix issue))
                (deactivate-mark))
            (fixpoint-fix "is_even() gives the wrong answer: is_even(4) returns False. Fix it."))
          (should (eglot-current-server))
          (if (equal scenario "cancel")
              (progn
                (fixpoint-test--wait "the model got its first request" 30
                                     (lambda () (file-exists-p (getenv "FIXPOINT_TEST_MODEL_LOG"))))
                (fixpoint-test--wait "the mode line shows the run" 10
                                     (lambda () (string-match-p "Fixpoint run-1" fixpoint-mode-line)))
                (fixpoint-cancel)
                (fixpoint-test--wait "the run ended as cancelled" 20
                                     (lambda () (eq (fixpoint-test--state) 'cancelled)))
                (should-not (get-buffer fixpoint--diff-buffer))
                (should (string-match-p "n % 2 == 1" (buffer-string))))
            (fixpoint-test--wait "the run finished and the diff opened" 90
                                 (lambda () (not (eq (fixpoint-test--state) 'running))))
            (should (eq (fixpoint-test--state) 'preview))
            (let ((log (with-current-buffer fixpoint--log-buffer (buffer-string)))
                  (diff (with-current-buffer fixpoint--diff-buffer (buffer-string))))
              (should (string-match-p "\\[run-1\\] 0/20 tests_before" log))
              (should (string-match-p "tool_call edit_file" log))
              (should (string-match-p "^-    return n % 2 == 1" diff))
              (should (string-match-p "^\\+    return n % 2 == 0" diff))
              (should (with-current-buffer fixpoint--diff-buffer (eq major-mode 'fixpoint-diff-mode)))
              (should (string-match-p "verified fix" fixpoint-mode-line)))
            (should (string-match-p "n % 2 == 1" (buffer-string)))
            (if (equal scenario "accept")
                (progn
                  (with-current-buffer fixpoint--diff-buffer
                    (call-interactively (key-binding (kbd "C-c C-c"))))
                  (fixpoint-test--wait "the fix was applied" 20
                                       (lambda () (eq (fixpoint-test--state) 'applied)))
                  (should (string-match-p "n % 2 == 0" (buffer-string))))
              (with-current-buffer fixpoint--diff-buffer
                (call-interactively (key-binding (kbd "C-c C-k"))))
              (should (eq (fixpoint-test--state) 'rejected))
              (should-not (get-buffer fixpoint--diff-buffer))
              (should (string-match-p "n % 2 == 1" (buffer-string))))))
      (fixpoint-test--write-result)
      (when-let ((server (with-current-buffer file (eglot-current-server))))
        (eglot-shutdown server)))))

;;; fixpoint-test.el ends here
