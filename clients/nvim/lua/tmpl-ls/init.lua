-- The plugin's first name: require('tmpl-ls') is require('tmpl_ls').
return require('tmpl_ls')
