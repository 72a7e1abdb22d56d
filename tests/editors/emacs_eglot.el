;;; emacs_eglot.el --- run by test_emacs.py in Emacs batch mode -*- lexical-binding: t; -*-
;; emacs --batch -l editors/emacs/inkslop-mode.el -l emacs_eglot.el SCRIPT OUT
;; Opens SCRIPT in inkslop-mode, connects eglot to `inkslop lsp', waits for the server's
;; diagnostics (through flymake), and writes what it saw as JSON to OUT.

(require 'eglot)
(require 'json)

;; Wait for the server in this batch run (eglot's default is 3 s, then it goes on
;; asynchronously and `eglot-current-server' below would be nil on a busy machine).
(setq eglot-sync-connect 60)

(let* ((script (nth 0 command-line-args-left))
       (out (nth 1 command-line-args-left))
       (result nil))
  (setq command-line-args-left nil)
  (find-file script)
  (push (cons 'mode (symbol-name major-mode)) result)
  (push (cons 'comment (progn (comment-normalize-vars) comment-start)) result)
  (font-lock-ensure)
  (push (cons 'faces (mapcar (lambda (word)
                               (goto-char (point-min))
                               (search-forward word)
                               (cons word (format "%s" (get-text-property (match-beginning 0) 'face))))
                             '("tts" "engine" "\"af_hert\"" "[# note" "who }}" "vars")))
        result)
  (apply #'eglot (eglot--guess-contact))
  ;; A cold start (no byte-code yet) can outlast eglot's synchronous wait: wait here.
  (with-timeout (60 nil)
    (while (null (eglot-current-server))
      (accept-process-output nil 0.1)))
  (let ((server (eglot-current-server)))
    (push (cons 'server (plist-get (eglot--server-info server) :name)) result)
    (push (cons 'completion (and (eglot--server-capable :completionProvider) t)) result)
    (push (cons 'inlayHints (and (eglot--server-capable :inlayHintProvider) t)) result)
    (push (cons 'hover (and (eglot--server-capable :hoverProvider) t)) result))
  (with-timeout (30 (push (cons 'timeout t) result))
    (while (null (flymake-diagnostics))
      (flymake-start)
      (accept-process-output nil 0.1)))
  (push (cons 'diagnostics
              (vconcat (mapcar (lambda (d)
                                 (list (cons 'line (line-number-at-pos (flymake-diagnostic-beg d)))
                                       (cons 'type (symbol-name (flymake-diagnostic-type d)))
                                       (cons 'text (flymake-diagnostic-text d))))
                               (flymake-diagnostics))))
        result)
  (eglot-shutdown (eglot-current-server))
  (with-temp-file out (insert (json-encode result))))
