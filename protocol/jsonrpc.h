/*
 * jsonrpc.h: JSON-RPC 2.0 messages as LSP uses them (no batches). Parses a
 * frame body into a request, notification, response or invalid message, and
 * builds replies. Knows nothing about LSP methods.
 *
 * Ownership follows jansson's words: "new" references are the caller's to
 * json_decref, "borrowed" ones live as long as their owner, a function that
 * "steals" a reference takes it over even when it fails.
 */
#ifndef TMPL_PROTOCOL_JSONRPC_H
#define TMPL_PROTOCOL_JSONRPC_H

#include <jansson.h>
#include <stddef.h>

#include "grammar/alloc.h"

/* The error codes of JSON-RPC and LSP that tmpl-ls sends, with their spec names. */
#define RPC_ERROR_CODES(XX)                                 \
  XX(PARSE_ERROR, -32700, "ParseError")                     \
  XX(INVALID_REQUEST, -32600, "InvalidRequest")             \
  XX(METHOD_NOT_FOUND, -32601, "MethodNotFound")            \
  XX(INVALID_PARAMS, -32602, "InvalidParams")               \
  XX(INTERNAL_ERROR, -32603, "InternalError")               \
  XX(SERVER_NOT_INITIALIZED, -32002, "ServerNotInitialized") \
  XX(REQUEST_CANCELLED, -32800, "RequestCancelled")         \
  XX(CONTENT_MODIFIED, -32801, "ContentModified")           \
  XX(SERVER_CANCELLED, -32802, "ServerCancelled")

typedef enum rpc_error_code {
#define RPC__XX(id, code, name) RPC_E_##id = (code),
  RPC_ERROR_CODES(RPC__XX)
#undef RPC__XX
} rpc_error_code;

/** The spec name of an error code ("MethodNotFound"), or "UnknownErrorCode". */
const char *rpc_error_name(int code);

typedef enum rpc_kind {
  RPC_REQUEST = 1,      /* method, id, params */
  RPC_NOTIFICATION = 2, /* method, params */
  RPC_RESPONSE = 3,     /* id, result or error */
  RPC_INVALID = 4       /* error_code, error_message; id when one could be read */
} rpc_kind;

typedef struct rpc_msg {
  rpc_kind kind;
  json_t *root;       /* owned: the whole message (NULL when the body was not JSON) */
  const char *method; /* borrowed from root; NULL for responses and invalid messages */
  json_t *id;         /* borrowed: integer or string; NULL for notifications, and for
                         invalid messages whose id could not be read (reply with null) */
  json_t *params;     /* borrowed: object or array; NULL when absent */
  json_t *result;     /* borrowed: RPC_RESPONSE only (may be json null) */
  json_t *error;      /* borrowed: RPC_RESPONSE only, when it is an error */
  int error_code;     /* RPC_INVALID: RPC_E_PARSE_ERROR or RPC_E_INVALID_REQUEST */
  char error_message[160];
} rpc_msg;

/**
 * Parse body[0..len) into *out. Never fails: an unreadable body gives
 * kind RPC_INVALID with an error code and message to send back. The caller
 * releases *out with rpc_msg_clear.
 */
void rpc_parse(const char *body, size_t len, rpc_msg *out);
void rpc_msg_clear(rpc_msg *msg);

/** Ids compare equal when both are the same integer or the same string. */
int rpc_id_equal(const json_t *a, const json_t *b);

/** New response {jsonrpc, id, result}. id is borrowed (NULL means null); result is stolen (NULL means null). */
json_t *rpc_result(json_t *id, json_t *result);
/** New error response. id is borrowed (NULL means null); data is stolen and may be NULL. */
json_t *rpc_error(json_t *id, int code, const char *message, json_t *data);
/** New notification. params is stolen and may be NULL (then omitted). */
json_t *rpc_notification(const char *method, json_t *params);
/** New request. id is borrowed; params is stolen and may be NULL. */
json_t *rpc_request(json_t *id, const char *method, json_t *params);

typedef GR_ARRAY(char) rpc_buf;

/**
 * Append msg, framed ("Content-Length: N\r\n\r\n" and compact JSON), to out.
 * msg is borrowed. Returns 0, or -1 if jansson cannot encode it (then out is
 * unchanged).
 */
int rpc_encode(const json_t *msg, rpc_buf *out);

/**
 * Append a framed result for request `id` whose result is the JSON text
 * result[0..n) (jsonw.h), written as it is: for replies too large to build
 * as a tree. Returns 0, or -1 (nothing appended) when id cannot be encoded.
 */
int rpc_encode_raw_result(const json_t *id, const char *result, size_t n, rpc_buf *out);

#endif
