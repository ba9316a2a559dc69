/*
 * server.h: the language server's entry point (LSP 3.17 over stdio).
 */
#ifndef TMPL_SERVER_LSP_SERVER_H
#define TMPL_SERVER_LSP_SERVER_H

typedef enum tl_log_level {
  TL_LOG_ERROR = 0,
  TL_LOG_WARN = 1,
  TL_LOG_INFO = 2,
  TL_LOG_DEBUG = 3
} tl_log_level;

typedef struct tl_server_options {
  tl_log_level log_level; /* debug logs on stderr at or below this level */
} tl_server_options;

/**
 * Serve LSP on stdin/stdout until `exit` or end of input. Returns the
 * process exit status: 0 after shutdown then exit, 1 otherwise.
 */
int tl_server_run(const tl_server_options *opts);

#endif
