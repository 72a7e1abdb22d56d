" Vim syntax file for InkSlop scripts (Neovim 0.9+ also colours them from the server's
" semantic tokens).
if exists("b:current_syntax")
  finish
endif

" front matter: TOML, coloured by Vim's own TOML syntax
syn include @inkslopToml syntax/toml.vim
unlet! b:current_syntax

syn match inkslopStrayBracket /\[/
syn region inkslopComment start=/\[#/ end=/#\]/ contains=inkslopDirective
syn match inkslopDirective /inkslop\s*:\s*ignore\%(-block\|-file\)\?/ contained
syn region inkslopTag matchgroup=inkslopDelimiter start=/\[\/\?\ze[A-Za-z]/ end=/\/\?\]\|$/ contains=inkslopTagName,inkslopAttribute,inkslopString keepend oneline
syn match inkslopTagName /\%(\[\/\?\)\@<=[A-Za-z][A-Za-z0-9_-]*/ contained
syn match inkslopAttribute /\s\zs[A-Za-z][A-Za-z0-9_-]*\ze\s*=/ contained
syn region inkslopString start=/"/ skip=/\\./ end=/"\|$/ contained contains=inkslopVariable oneline
syn region inkslopString start=/'/ skip=/\\./ end=/'\|$/ contained contains=inkslopVariable oneline
syn match inkslopVariable /{{\s*[A-Za-z_][A-Za-z0-9_]*\s*}}/
syn region inkslopFrontMatter matchgroup=inkslopFrontMatterDelimiter start=/\%^+++\s*$/ end=/^+++\s*$/ contains=@inkslopToml keepend

hi def link inkslopComment Comment
hi def link inkslopDirective PreProc
hi def link inkslopDelimiter Delimiter
hi def link inkslopTagName Statement
hi def link inkslopAttribute Type
hi def link inkslopString String
hi def link inkslopVariable Identifier
hi def link inkslopFrontMatterDelimiter PreProc
hi def link inkslopStrayBracket Error

let b:current_syntax = "inkslop"
