/*
 * model.c: the model's error strings.
 */
#include "server/model/model.h"

const char *tl_model_strerror(int err) {
  switch (err) {
#define TL__XX(id, val, msg) \
  case val:                  \
    return msg;
    TL_MODEL_ERRNO_MAP(TL__XX)
#undef TL__XX
    case 0:
      return "success";
    default:
      return "unknown error";
  }
}
