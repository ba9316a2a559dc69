/*
 * model.h: what every server/model/ module shares: the "no index" value and
 * the error codes. The model is pure C over grammar trees: no JSON, no
 * libuv, no I/O (except scan.c, the one blocking directory walker, and
 * fileio.c, the one file reader), and
 * byte offsets throughout.
 */
#ifndef TMPL_SERVER_MODEL_MODEL_H
#define TMPL_SERVER_MODEL_MODEL_H

#include <stdint.h>

/** "No such index": same value as GR_NONE. */
#define TL_NONE UINT32_MAX

/* Errors are negative ints; 0 is success. */
#define TL_MODEL_ERRNO_MAP(XX)                    \
  XX(ENOENT, -2, "no such entry")                 \
  XX(EINVAL, -22, "invalid argument")             \
  XX(EIO, -5, "cannot read directory or file")    \
  XX(ENOTDIR, -20, "not a directory")          \
  XX(ENOTREG, -1001, "not a regular file")      \
  XX(ETOOBIG, -1002, "over the size limit")     \
  XX(EOUTSIDE, -1003, "a link to a file outside the folder")

typedef enum tl_model_err {
#define TL__XX(id, val, msg) TL_##id = val,
  TL_MODEL_ERRNO_MAP(TL__XX)
#undef TL__XX
  TL_MODEL_OK = 0
} tl_model_err;

/** A static sentence for an error code ("unknown error" for others). */
const char *tl_model_strerror(int err);

#endif
