" InkSlop video scripts
autocmd BufRead,BufNewFile *.inkslop setfiletype inkslop
