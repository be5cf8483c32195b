" zhibiao policy files.
autocmd BufRead,BufNewFile *.zb setfiletype zhibiao
