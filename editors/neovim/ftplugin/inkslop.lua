-- InkSlop scripts: comments are [# ... #] (gc in Neovim 0.10+, or commentary.vim).
vim.bo.commentstring = "[# %s #]"
vim.bo.comments = "s:[#,e:#]"
vim.b.undo_ftplugin = "setlocal commentstring< comments<"
