/* Exported open hooks: open family, stdio opens and directory opens. */
#include "layer.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>

#define PATH_CAP 4096

/* ---------------- open family ---------------- */
int ml_open_at_common(int dirfd, const char *path, int flags, mode_t mode, int *handled) {
    *handled = 0;
    if (!ml_enter(0)) return -1;
    char abs[PATH_CAP];
    int fd = -1;
    if (ml_resolve_at(dirfd, path, abs, sizeof abs)) fd = ml_open_path(abs, flags, mode, handled);
    ml_leave();
    return fd;
}

#define OPEN_MODE(flags) ({ mode_t m_ = 0; if ((flags) & (O_CREAT | __O_TMPFILE)) { va_list ap; \
    va_start(ap, flags); m_ = va_arg(ap, mode_t); va_end(ap); } m_; })

#define DEFINE_OPEN(name) DEFINE_REAL(name); \
ML_EXPORT int name(const char *path, int flags, ...) { \
    mode_t mode = OPEN_MODE(flags); int handled; \
    int fd = ml_open_at_common(AT_FDCWD, path, flags, mode, &handled); \
    return handled ? fd : REAL(name)(path, flags, mode); }
DEFINE_OPEN(open)
DEFINE_OPEN(open64)

#define DEFINE_OPENAT(name) DEFINE_REAL(name); \
ML_EXPORT int name(int dirfd, const char *path, int flags, ...) { \
    mode_t mode = OPEN_MODE(flags); int handled; \
    int fd = ml_open_at_common(dirfd, path, flags, mode, &handled); \
    return handled ? fd : REAL(name)(dirfd, path, flags, mode); }
DEFINE_OPENAT(openat)
DEFINE_OPENAT(openat64)

/* fortified variants (never take a mode) */
#define DEFINE_OPEN2(name) DEFINE_REAL(name); \
ML_EXPORT int name(const char *path, int flags) { int handled; \
    int fd = ml_open_at_common(AT_FDCWD, path, flags, 0, &handled); \
    return handled ? fd : REAL(name)(path, flags); }
DEFINE_OPEN2(__open_2)
DEFINE_OPEN2(__open64_2)
#define DEFINE_OPENAT2(name) DEFINE_REAL(name); \
ML_EXPORT int name(int dirfd, const char *path, int flags) { int handled; \
    int fd = ml_open_at_common(dirfd, path, flags, 0, &handled); \
    return handled ? fd : REAL(name)(dirfd, path, flags); }
DEFINE_OPENAT2(__openat_2)
DEFINE_OPENAT2(__openat64_2)

DEFINE_REAL(creat); DEFINE_REAL(creat64);
ML_EXPORT int creat(const char *path, mode_t mode) {
    int handled; int fd = ml_open_at_common(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode, &handled);
    return handled ? fd : REAL(creat)(path, mode);
}
ML_EXPORT int creat64(const char *path, mode_t mode) {
    int handled; int fd = ml_open_at_common(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode, &handled);
    return handled ? fd : REAL(creat64)(path, mode);
}

/* ---------------- stdio: fopen never calls an exported open ---------------- */
static int stdio_flags(const char *m) {
    int acc = O_RDONLY, extra = 0;
    if (m[0] == 'w') { acc = O_WRONLY; extra = O_CREAT | O_TRUNC; }
    else if (m[0] == 'a') { acc = O_WRONLY; extra = O_CREAT | O_APPEND; }
    for (const char *p = m + 1; *p; p++) {
        if (*p == '+') acc = O_RDWR;
        else if (*p == 'e') extra |= O_CLOEXEC;
        else if (*p == 'x') extra |= O_EXCL;
    }
    return acc | extra;
}

static FILE *fopen_common(const char *path, const char *mode, int *handled) {
    int fd = ml_open_at_common(AT_FDCWD, path, stdio_flags(mode), 0666, handled);
    if (!*handled) return NULL;
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, mode);
    if (!f) { int e = errno; close(fd); errno = e; }
    return f;
}
DEFINE_REAL(fopen); DEFINE_REAL(fopen64); DEFINE_REAL(freopen); DEFINE_REAL(freopen64);
ML_EXPORT FILE *fopen(const char *path, const char *mode) {
    int handled; FILE *f = fopen_common(path, mode, &handled);
    return handled ? f : REAL(fopen)(path, mode);
}
ML_EXPORT FILE *fopen64(const char *path, const char *mode) {
    int handled; FILE *f = fopen_common(path, mode, &handled);
    return handled ? f : REAL(fopen64)(path, mode);
}
static FILE *freopen_common(const char *path, const char *mode, FILE *stream, int *handled) {
    *handled = 0;
    if (!path) return NULL;
    int fd = ml_open_at_common(AT_FDCWD, path, stdio_flags(mode), 0666, handled);
    if (!*handled || fd < 0) return NULL;
    FILE *f = REAL(freopen)("/dev/null", mode, stream);
    if (!f) { close(fd); return NULL; }
    if (dup2(fd, fileno(f)) < 0) { int e = errno; close(fd); fclose(f); errno = e; return NULL; }
    close(fd);
    return f;
}
ML_EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream) {
    int handled; FILE *f = freopen_common(path, mode, stream, &handled);
    return handled ? f : REAL(freopen)(path, mode, stream);
}
ML_EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream) {
    int handled; FILE *f = freopen_common(path, mode, stream, &handled);
    return handled ? f : REAL(freopen64)(path, mode, stream);
}

/* ---------------- directories ---------------- */
DEFINE_REAL(opendir); DEFINE_REAL(closedir); DEFINE_REAL(scandir); DEFINE_REAL(scandir64);
ML_EXPORT DIR *opendir(const char *path) {
    int handled;
    int fd = ml_open_at_common(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, &handled);
    if (!handled) return REAL(opendir)(path);
    if (fd < 0) return NULL;
    DIR *d = fdopendir(fd);
    if (!d) { int e = errno; close(fd); errno = e; }
    return d;
}
ML_EXPORT int closedir(DIR *d) {
    int fd = dirfd(d);
    ml_fdent e;
    int kind = ml_fd_get(fd, &e);
    int rc = REAL(closedir)(d);
    if (kind == FD_RDIR) {
        ml_fd_clear(fd);
        if (ml_fd_count_copy(e.copy) == 0) {
            int saved = errno, guard = ml_in_layer;
            ml_in_layer = 1;
            ml_remove_copy(e.copy);
            ml_in_layer = guard;
            errno = saved;
        }
    }
    return rc;
}
typedef int (*scan_filter)(const struct dirent *);
typedef int (*scan_cmp)(const struct dirent **, const struct dirent **);
typedef int (*scan_filter64)(const struct dirent64 *);
typedef int (*scan_cmp64)(const struct dirent64 **, const struct dirent64 **);
/* Remote directory -> "/proc/self/fd/N" of its local copy; 0 when the path is local. */
static int scandir_redirect(const char *path, char *proc, size_t cap, int *fd_out, int *handled) {
    int fd = ml_open_at_common(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, handled);
    *fd_out = fd;
    if (!*handled || fd < 0) return 0;
    snprintf(proc, cap, "/proc/self/fd/%d", fd);
    return 1;
}
ML_EXPORT int scandir(const char *path, struct dirent ***list, scan_filter f, scan_cmp c) {
    char proc[64]; int fd, handled;
    if (!scandir_redirect(path, proc, sizeof proc, &fd, &handled)) {
        if (handled) return -1;
        return REAL(scandir)(path, list, f, c);
    }
    int n = REAL(scandir)(proc, list, f, c);
    int e = errno; close(fd); errno = e;
    return n;
}
ML_EXPORT int scandir64(const char *path, struct dirent64 ***list, scan_filter64 f, scan_cmp64 c) {
    char proc[64]; int fd, handled;
    if (!scandir_redirect(path, proc, sizeof proc, &fd, &handled)) {
        if (handled) return -1;
        return REAL(scandir64)(path, list, f, c);
    }
    int n = REAL(scandir64)(proc, list, f, c);
    int e = errno; close(fd); errno = e;
    return n;
}

