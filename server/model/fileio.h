/*
 * fileio.h: reading one file from disk, safely (tl_file_*). The one place
 * where the server's index, `check` and their settings open a file.
 *
 * Blocking, but never for long: the file is opened with O_NONBLOCK, so a
 * FIFO or a device cannot hold the caller in open() or read(), and anything
 * that is not a regular file is refused after fstat. A size limit bounds
 * the memory (the file may grow while it is read: never past the limit).
 * With `inside` set, the path is resolved first (symbolic links followed)
 * and refused unless it lands inside that folder, so that a link cannot
 * make a workspace read a file from elsewhere.
 */
#ifndef TMPL_SERVER_MODEL_FILEIO_H
#define TMPL_SERVER_MODEL_FILEIO_H

#include <stddef.h>

#include "server/model/model.h"

/* The limits the server and `check` share. */
#define TL_FILE_MAX_TEMPLATE_BYTES ((size_t)4 << 20)  /* a template read from disk */
#define TL_FILE_MAX_DOCUMENT_BYTES ((size_t)32 << 20) /* a document (the open-document limit) */

typedef struct tl_file_opts {
  size_t max_bytes;   /* bigger files: TL_ETOOBIG; 0 means TL_FILE_MAX_TEMPLATE_BYTES */
  const char *inside; /* NULL, or a folder's real path (realpath, no trailing '/'):
                         the file must resolve to a path below it (else TL_EOUTSIDE) */
} tl_file_opts;

/**
 * Read the regular file at `path` whole. On success returns 0 and sets
 * *text to a new gr_malloc'd buffer of *len bytes followed by a NUL.
 * Returns -errno when it cannot be opened or read (-ENOENT: not there),
 * TL_ENOTREG for a FIFO, device, socket or folder, TL_ETOOBIG past the
 * limit, TL_EOUTSIDE for a link out of `inside`; *text is NULL then.
 */
int tl_file_read(const char *path, const tl_file_opts *opts, char **text, size_t *len);

/** The same for an open descriptor of any kind (stdin): only the size is checked. */
int tl_file_read_fd(int fd, size_t max_bytes, char **text, size_t *len);

/**
 * Is `real` (a resolved path) `folder` itself or below it? Both absolute
 * and resolved; `folder` without a trailing '/' ("/" is every path).
 */
int tl_file_is_inside(const char *folder, const char *real);

/** A static sentence for an error of tl_file_read (strerror for -errno). */
const char *tl_file_strerror(int err);

#endif
