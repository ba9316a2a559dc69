/*
 * fileio.c: one file read from disk (see fileio.h).
 */
#define _XOPEN_SOURCE 700 /* realpath, O_CLOEXEC */
#include "server/model/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grammar/alloc.h"

int tl_file_is_inside(const char *folder, const char *real) {
  size_t n = strlen(folder);
  if (n == 1 && folder[0] == '/') return real[0] == '/';
  return strncmp(real, folder, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

/* Read fd to its end, at most max bytes; `hint` is the expected size (0: unknown). */
static int tl_file__read_all(int fd, size_t max, size_t hint, char **text, size_t *len) {
  size_t cap = (hint ? hint : 1 << 16) + 1, n = 0;
  char *buf = gr_malloc(cap);
  for (;;) {
    if (n == cap) {
      if (cap > max) { /* it grew past the limit while it was read */
        gr_free(buf);
        return TL_ETOOBIG;
      }
      buf = gr_realloc(buf, cap *= 2);
    }
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int err = errno == EAGAIN ? TL_ENOTREG : -errno; /* an empty FIFO behind stdin */
      gr_free(buf);
      return err;
    }
    if (r == 0) break;
    n += (size_t)r;
    if (n > max) {
      gr_free(buf);
      return TL_ETOOBIG;
    }
  }
  if (n == cap) buf = gr_realloc(buf, cap + 1);
  buf[n] = '\0';
  *text = buf;
  *len = n;
  return 0;
}

int tl_file_read_fd(int fd, size_t max_bytes, char **text, size_t *len) {
  *text = NULL;
  *len = 0;
  return tl_file__read_all(fd, max_bytes ? max_bytes : TL_FILE_MAX_TEMPLATE_BYTES, 0, text, len);
}

int tl_file_read(const char *path, const tl_file_opts *opts, char **text, size_t *len) {
  *text = NULL;
  *len = 0;
  size_t max = opts && opts->max_bytes ? opts->max_bytes : TL_FILE_MAX_TEMPLATE_BYTES;
  char real[PATH_MAX];
  if (opts && opts->inside) {
    /* Resolve first and open what was resolved: the check and the read
     * are about the same file. */
    if (!realpath(path, real)) return -errno;
    if (!tl_file_is_inside(opts->inside, real)) return TL_EOUTSIDE;
    path = real;
  }
  /* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return -errno;
  struct stat st;
  int err = 0;
  if (fstat(fd, &st) != 0) err = -errno;
  else if (!S_ISREG(st.st_mode)) err = TL_ENOTREG;
  else if ((unsigned long long)st.st_size > max) err = TL_ETOOBIG;
  else err = tl_file__read_all(fd, max, (size_t)st.st_size, text, len);
  close(fd);
  return err;
}

const char *tl_file_strerror(int err) {
  switch (err) {
    case TL_ENOTREG:
    case TL_ETOOBIG:
    case TL_EOUTSIDE:
      return tl_model_strerror(err);
    default:
      return err < 0 ? strerror(-err) : "success";
  }
}
