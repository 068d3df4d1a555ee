/*
 * Descriptor bookkeeping: close writes back remote-writable files and protects the layer's own
 * proxy connections; dup/fcntl copy tracking; syscall() is dispatched because libuv (node) closes
 * and stats through it.
 */
#include "layer.h"
#include <fcntl.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

DEFINE_REAL(close); DEFINE_REAL(dup); DEFINE_REAL(dup2); DEFINE_REAL(dup3); DEFINE_REAL(fcntl);
DEFINE_REAL(fcntl64); DEFINE_REAL(fsync); DEFINE_REAL(fdatasync); DEFINE_REAL(close_range);
DEFINE_REAL(syscall);

/* Work common to every way an fd goes away. */
static void before_close(int fd) {
    if (ml_is_conn_fd(fd)) { ml_conn_fd_closed(fd); return; }
    if (!ml_fd_any()) return;
    ml_fdent e;
    int kind = ml_fd_get(fd, &e);
    if (kind == FD_NONE) return;
    if (kind == FD_WFILE && !ml_in_layer && ml_env_enabled()) {
        ml_in_layer = 1;
        int saved = errno;
        ml_writeback(fd, &e);
        errno = saved;
        ml_in_layer = 0;
    }
    ml_fd_clear(fd);
    if (kind == FD_LISTEN && ml_fd_count_listen(&e) == 0) ml_listener_closed(&e); /* incoming */
    if (kind == FD_RDIR && ml_fd_count_copy(e.copy) == 0) {
        int saved = errno, guard = ml_in_layer;
        ml_in_layer = 1;
        ml_remove_copy(e.copy);
        ml_in_layer = guard;
        errno = saved;
    }
}

ML_EXPORT int close(int fd) {
    before_close(fd);
    return REAL(close)(fd);
}

ML_EXPORT int close_range(unsigned int first, unsigned int last, int flags) {
    if (!(flags & CLOSE_RANGE_CLOEXEC)) {
        unsigned int top = last > 65535 ? 65535 : last;
        for (unsigned int fd = first; fd <= top; fd++) {
            if (ml_is_conn_fd((int)fd)) ml_conn_fd_closed((int)fd);
            else if (ml_fd_any()) ml_fd_clear((int)fd); /* forked child about to exec: no write-back */
        }
    }
    return REAL(close_range)(first, last, flags);
}

static int sync_common(int fd) {
    ml_fdent e;
    if (ml_in_layer || ml_fd_get(fd, &e) != FD_WFILE) return 0;
    ml_in_layer = 1;
    int rc = ml_writeback(fd, &e);
    ml_in_layer = 0;
    return rc;
}
ML_EXPORT int fsync(int fd) { return sync_common(fd) != 0 ? -1 : REAL(fsync)(fd); }
ML_EXPORT int fdatasync(int fd) { return sync_common(fd) != 0 ? -1 : REAL(fdatasync)(fd); }

ML_EXPORT int dup(int fd) {
    int n = REAL(dup)(fd);
    if (n >= 0 && ml_fd_any()) ml_fd_copy(fd, n);
    return n;
}

/* dup2 onto a tracked fd closes it implicitly: handle it like close first. */
ML_EXPORT int dup2(int fd, int target) {
    if (fd != target) before_close(target);
    int n = REAL(dup2)(fd, target);
    if (n >= 0 && ml_fd_any()) ml_fd_copy(fd, n);
    return n;
}
ML_EXPORT int dup3(int fd, int target, int flags) {
    if (fd != target) before_close(target);
    int n = REAL(dup3)(fd, target, flags);
    if (n >= 0 && ml_fd_any()) ml_fd_copy(fd, n);
    return n;
}

static int fcntl_common(void *realfn, int fd, int cmd, va_list ap) {
    int (*fn)(int, int, ...) = realfn;
    void *arg = va_arg(ap, void *);
    int rc = fn(fd, cmd, arg);
    if (rc >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && ml_fd_any()) ml_fd_copy(fd, rc);
    return rc;
}
ML_EXPORT int fcntl(int fd, int cmd, ...) {
    va_list ap; va_start(ap, cmd);
    int rc = fcntl_common(REAL(fcntl), fd, cmd, ap);
    va_end(ap);
    return rc;
}
ML_EXPORT int fcntl64(int fd, int cmd, ...) {
    va_list ap; va_start(ap, cmd);
    int rc = fcntl_common(REAL(fcntl64), fd, cmd, ap);
    va_end(ap);
    return rc;
}

int ml_statx_common(int d, const char *p, int fl, struct statx *sx, int *handled);

ML_EXPORT long syscall(long nr, ...) {
    va_list ap; va_start(ap, nr);
    long a1 = va_arg(ap, long), a2 = va_arg(ap, long), a3 = va_arg(ap, long);
    long a4 = va_arg(ap, long), a5 = va_arg(ap, long), a6 = va_arg(ap, long);
    va_end(ap);
    if (nr == SYS_close) {
        before_close((int)a1);
    } else if (nr == SYS_statx) {
        int handled;
        long rc = ml_statx_common((int)a1, (const char *)a2, (int)a3, (struct statx *)a5, &handled);
        if (handled) return rc;
    }
    return REAL(syscall)(nr, a1, a2, a3, a4, a5, a6);
}
