;;; inkslop-mode.el --- Major mode for InkSlop video scripts -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: languages
;; URL: https://inkslop.com

;;; Commentary:

;; Highlighting, comments ([# ... #]) and the `inkslop lsp' language server through eglot
;; (built into Emacs 29+; Emacs 28: the package eglot) for InkSlop scripts (*.inkslop).
;;
;;   (add-to-list 'load-path "/path/to/editors/emacs")
;;   (require 'inkslop-mode)
;;   (add-hook 'inkslop-mode-hook #'eglot-ensure)   ; start the server with each script

;;; Code:

(defgroup inkslop nil
  "InkSlop video scripts."
  :group 'languages
  :prefix "inkslop-")

(defcustom inkslop-server-command '("inkslop" "lsp")
  "The command that runs the language server: the executable, then its arguments.
The executable is looked up on `exec-path' unless it is a path."
  :type '(repeat string))

(defconst inkslop--name "[A-Za-z][A-Za-z0-9_-]*")

(defun inkslop--front-matter-end ()
  "The end of the front matter, if the buffer begins with one."
  (save-excursion
    (goto-char (point-min))
    (when (looking-at "\\+\\+\\+[ \t]*$")
      (forward-line 1)
      (when (re-search-forward "^\\+\\+\\+[ \t]*$" nil t) (point)))))

(defun inkslop--matcher (regexp in-front-matter)
  "A font-lock matcher of REGEXP: only in the front matter if IN-FRONT-MATTER, else only
outside it."
  (lambda (limit)
    (let ((front (or (inkslop--front-matter-end) (point-min))) found)
      (while (and (not found) (re-search-forward regexp limit t))
        (setq found (if in-front-matter
                        (< (match-beginning 0) front)
                      (>= (match-beginning 0) front))))
      found)))

(defvar inkslop-font-lock-keywords
  `(;; front matter: the +++ lines, TOML's [tables] and keys
    (,(inkslop--matcher "^\\+\\+\\+[ \t]*$" t) 0 'font-lock-preprocessor-face)
    (,(inkslop--matcher "^[ \t]*\\[\\([^]\n]*\\)\\]" t) 1 'font-lock-type-face)
    (,(inkslop--matcher "^[ \t]*\\([A-Za-z0-9_.-]+\\)[ \t]*=" t) 1 'font-lock-variable-name-face)
    (,(inkslop--matcher "\"\\(?:[^\"\\\n]\\|\\\\.\\)*\"" t) 0 'font-lock-string-face)
    ;; tags: [name, [/name; then their attributes and values, up to the tag's end
    (,(inkslop--matcher (concat "\\(\\[/?\\)\\(" inkslop--name "\\)") nil)
     (1 'font-lock-delimiter-face) (2 'font-lock-keyword-face)
     (,(concat "\\(" inkslop--name "\\)[ \t]*=")
      (save-excursion (skip-chars-forward "^]\n") (point)) nil
      (1 'font-lock-variable-name-face))
     ("\"\\(?:[^\"\\\n]\\|\\\\.\\)*\"\\|'\\(?:[^'\\\n]\\|\\\\.\\)*'"
      (save-excursion (goto-char (match-beginning 0)) (skip-chars-forward "^]\n") (point)) nil
      (0 'font-lock-string-face t)))
    ;; variables
    ("{{[ \t]*\\([A-Za-z_][A-Za-z0-9_]*\\)[ \t]*}}" 1 'font-lock-constant-face t))
  "Highlighting of InkSlop scripts.")

(defvar inkslop-mode-syntax-table
  (let ((table (make-syntax-table)))
    ;; [# ... #] comments; quotes are plain text in narration
    (modify-syntax-entry ?\[ "(]1" table)
    (modify-syntax-entry ?\] ")[4" table)
    (modify-syntax-entry ?# ". 23" table)
    (modify-syntax-entry ?\" "." table)
    (modify-syntax-entry ?' "." table)
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?- "_" table)
    table)
  "Syntax table of `inkslop-mode'.")

(defun inkslop--syntax-propertize (start end)
  "Front matter (TOML) is not script: its [tables] and # comments are no tags or comments."
  (let ((front (inkslop--front-matter-end)))
    (when (and front (< start front))
      (put-text-property start (min end front) 'syntax-table (string-to-syntax "_")))))

;;;###autoload
(define-derived-mode inkslop-mode prog-mode "InkSlop"
  "Major mode for InkSlop video scripts."
  :syntax-table inkslop-mode-syntax-table
  (setq-local comment-start "[# ")
  (setq-local comment-end " #]")
  (setq-local comment-start-skip "\\[#+[ \t]*")
  (setq-local comment-end-skip "[ \t]*#+\\]")
  (setq-local comment-use-syntax t)
  (setq-local syntax-propertize-function #'inkslop--syntax-propertize)
  (setq-local font-lock-defaults '(inkslop-font-lock-keywords))
  (setq-local indent-tabs-mode nil))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.inkslop\\'" . inkslop-mode))

(defun inkslop--server-contact (&optional _interactive)
  "The language server's command, for eglot."
  inkslop-server-command)

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '(inkslop-mode . inkslop--server-contact)))

(provide 'inkslop-mode)
;;; inkslop-mode.el ends here
