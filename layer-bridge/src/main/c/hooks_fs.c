/* Exported file-system hooks. Each one resolves the path, asks files.c, else calls the real symbol. */
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
static int open_at_common(int dirfd, const char *path, int flags, mode_t mode, int *handled) {
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
    int fd = open_at_common(AT_FDCWD, path, flags, mode, &handled); \
    return handled ? fd : REAL(name)(path, flags, mode); }
DEFINE_OPEN(open)
DEFINE_OPEN(open64)

#define DEFINE_OPENAT(name) DEFINE_REAL(name); \
ML_EXPORT int name(int dirfd, const char *path, int flags, ...) { \
    mode_t mode = OPEN_MODE(flags); int handled; \
    int fd = open_at_common(dirfd, path, flags, mode, &handled); \
    return handled ? fd : REAL(name)(dirfd, path, flags, mode); }
DEFINE_OPENAT(openat)
DEFINE_OPENAT(openat64)

/* fortified variants (never take a mode) */
#define DEFINE_OPEN2(name) DEFINE_REAL(name); \
ML_EXPORT int name(const char *path, int flags) { int handled; \
    int fd = open_at_common(AT_FDCWD, path, flags, 0, &handled); \
    return handled ? fd : REAL(name)(path, flags); }
DEFINE_OPEN2(__open_2)
DEFINE_OPEN2(__open64_2)
#define DEFINE_OPENAT2(name) DEFINE_REAL(name); \
ML_EXPORT int name(int dirfd, const char *path, int flags) { int handled; \
    int fd = open_at_common(dirfd, path, flags, 0, &handled); \
    return handled ? fd : REAL(name)(dirfd, path, flags); }
DEFINE_OPENAT2(__openat_2)
DEFINE_OPENAT2(__openat64_2)

DEFINE_REAL(creat); DEFINE_REAL(creat64);
ML_EXPORT int creat(const char *path, mode_t mode) {
    int handled; int fd = open_at_common(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode, &handled);
    return handled ? fd : REAL(creat)(path, mode);
}
ML_EXPORT int creat64(const char *path, mode_t mode) {
    int handled; int fd = open_at_common(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode, &handled);
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
    int fd = open_at_common(AT_FDCWD, path, stdio_flags(mode), 0666, handled);
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
    int fd = open_at_common(AT_FDCWD, path, stdio_flags(mode), 0666, handled);
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

/* ---------------- stat family ---------------- */
static int stat_common(int dirfd, const char *path, int follow, struct stat *st, int *handled) {
    *handled = 0;
    if (!ml_enter(0)) return -1;
    char abs[PATH_CAP];
    int rc = -1;
    if (ml_resolve_at(dirfd, path, abs, sizeof abs)) rc = ml_stat_path(abs, follow, st, handled);
    ml_leave();
    return rc;
}

/*
 * fstat of a remote directory's local copy answers the remote directory's metadata, so code that
 * compares lstat(path) with fstat(open(path)) (python's shutil.rmtree) sees the same inode.
 */
static int fstat_remote_dir(int fd, struct stat *st, int *handled) {
    *handled = 0;
    ml_fdent e;
    if (!ml_fd_any() || ml_fd_get(fd, &e) != FD_RDIR || !ml_enter(CFG_FS)) return -1;
    int rc = ml_stat_path(e.path, 1, st, handled);
    ml_leave();
    return rc;
}
DEFINE_REAL(fstat); DEFINE_REAL(fstat64); DEFINE_REAL(__fxstat); DEFINE_REAL(__fxstat64);
extern int __fxstat(int, int, struct stat *);
extern int __fxstat64(int, int, struct stat64 *);
ML_EXPORT int fstat(int fd, struct stat *st) {
    int h; int rc = fstat_remote_dir(fd, st, &h); return h ? rc : REAL(fstat)(fd, st);
}
ML_EXPORT int fstat64(int fd, struct stat64 *st) {
    int h; int rc = fstat_remote_dir(fd, (struct stat *)st, &h); return h ? rc : REAL(fstat64)(fd, st);
}
ML_EXPORT int __fxstat(int v, int fd, struct stat *st) {
    int h; int rc = fstat_remote_dir(fd, st, &h); return h ? rc : REAL(__fxstat)(v, fd, st);
}
ML_EXPORT int __fxstat64(int v, int fd, struct stat64 *st) {
    int h; int rc = fstat_remote_dir(fd, (struct stat *)st, &h); return h ? rc : REAL(__fxstat64)(v, fd, st);
}

DEFINE_REAL(stat); DEFINE_REAL(stat64); DEFINE_REAL(lstat); DEFINE_REAL(lstat64);
ML_EXPORT int stat(const char *p, struct stat *st) {
    int h; int rc = stat_common(AT_FDCWD, p, 1, st, &h); return h ? rc : REAL(stat)(p, st);
}
ML_EXPORT int stat64(const char *p, struct stat64 *st) {
    int h; int rc = stat_common(AT_FDCWD, p, 1, (struct stat *)st, &h); return h ? rc : REAL(stat64)(p, st);
}
ML_EXPORT int lstat(const char *p, struct stat *st) {
    int h; int rc = stat_common(AT_FDCWD, p, 0, st, &h); return h ? rc : REAL(lstat)(p, st);
}
ML_EXPORT int lstat64(const char *p, struct stat64 *st) {
    int h; int rc = stat_common(AT_FDCWD, p, 0, (struct stat *)st, &h); return h ? rc : REAL(lstat64)(p, st);
}
DEFINE_REAL(fstatat); DEFINE_REAL(fstatat64);
ML_EXPORT int fstatat(int d, const char *p, struct stat *st, int fl) {
    int h; int rc;
    if ((fl & AT_EMPTY_PATH) && !*p) { rc = fstat_remote_dir(d, st, &h); return h ? rc : REAL(fstatat)(d, p, st, fl); }
    rc = stat_common(d, p, !(fl & AT_SYMLINK_NOFOLLOW), st, &h);
    return h ? rc : REAL(fstatat)(d, p, st, fl);
}
ML_EXPORT int fstatat64(int d, const char *p, struct stat64 *st, int fl) {
    int h; int rc;
    if ((fl & AT_EMPTY_PATH) && !*p) { rc = fstat_remote_dir(d, (struct stat *)st, &h); return h ? rc : REAL(fstatat64)(d, p, st, fl); }
    rc = stat_common(d, p, !(fl & AT_SYMLINK_NOFOLLOW), (struct stat *)st, &h);
    return h ? rc : REAL(fstatat64)(d, p, st, fl);
}
/* pre-2.33 ABI still imported by programs built against older glibc (node) */
DEFINE_REAL(__xstat); DEFINE_REAL(__xstat64); DEFINE_REAL(__lxstat); DEFINE_REAL(__lxstat64);
DEFINE_REAL(__fxstatat); DEFINE_REAL(__fxstatat64);
extern int __xstat(int, const char *, struct stat *);
extern int __xstat64(int, const char *, struct stat64 *);
extern int __lxstat(int, const char *, struct stat *);
extern int __lxstat64(int, const char *, struct stat64 *);
extern int __fxstatat(int, int, const char *, struct stat *, int);
extern int __fxstatat64(int, int, const char *, struct stat64 *, int);
ML_EXPORT int __xstat(int v, const char *p, struct stat *st) {
    int h; int rc = stat_common(AT_FDCWD, p, 1, st, &h); return h ? rc : REAL(__xstat)(v, p, st);
}
ML_EXPORT int __xstat64(int v, const char *p, struct stat64 *st) {
    int h; int rc = stat_common(AT_FDCWD, p, 1, (struct stat *)st, &h); return h ? rc : REAL(__xstat64)(v, p, st);
}
ML_EXPORT int __lxstat(int v, const char *p, struct stat *st) {
    int h; int rc = stat_common(AT_FDCWD, p, 0, st, &h); return h ? rc : REAL(__lxstat)(v, p, st);
}
ML_EXPORT int __lxstat64(int v, const char *p, struct stat64 *st) {
    int h; int rc = stat_common(AT_FDCWD, p, 0, (struct stat *)st, &h); return h ? rc : REAL(__lxstat64)(v, p, st);
}
ML_EXPORT int __fxstatat(int v, int d, const char *p, struct stat *st, int fl) {
    int h; int rc = stat_common(d, p, !(fl & AT_SYMLINK_NOFOLLOW), st, &h);
    return h ? rc : REAL(__fxstatat)(v, d, p, st, fl);
}
ML_EXPORT int __fxstatat64(int v, int d, const char *p, struct stat64 *st, int fl) {
    int h; int rc = stat_common(d, p, !(fl & AT_SYMLINK_NOFOLLOW), (struct stat *)st, &h);
    return h ? rc : REAL(__fxstatat64)(v, d, p, st, fl);
}

int ml_statx_common(int d, const char *p, int fl, struct statx *sx, int *handled) {
    *handled = 0;
    if ((fl & AT_EMPTY_PATH) && (!p || !*p)) {
        /* fd form: a memfd answers by itself; a remote directory's copy asks the pod */
        ml_fdent e;
        if (!ml_fd_any() || ml_fd_get(d, &e) != FD_RDIR || !ml_enter(CFG_FS)) return -1;
        int rc = ml_statx_path(e.path, 1, sx, handled);
        ml_leave();
        return rc;
    }
    if (!ml_enter(0)) return -1;
    char abs[PATH_CAP];
    int rc = -1;
    if (ml_resolve_at(d, p, abs, sizeof abs)) rc = ml_statx_path(abs, !(fl & AT_SYMLINK_NOFOLLOW), sx, handled);
    ml_leave();
    return rc;
}
DEFINE_REAL(statx);
ML_EXPORT int statx(int d, const char *p, int fl, unsigned int mask, struct statx *sx) {
    int h; int rc = ml_statx_common(d, p, fl, sx, &h);
    return h ? rc : REAL(statx)(d, p, fl, mask, sx);
}

/* ---------------- access ---------------- */
static int access_common(int dirfd, const char *path, int mode, int *handled) {
    *handled = 0;
    if (!ml_enter(CFG_FS)) return -1;
    char abs[PATH_CAP];
    int rc = -1;
    if (ml_resolve_at(dirfd, path, abs, sizeof abs) && !ml_path_fast_local(abs)
        && !ml_local_cached(abs, (mode & W_OK) != 0)) {
        *handled = 1;
        wbuf w; wb_init(&w, OP_ACCESS); wb_str(&w, abs); wb_u32(&w, (uint32_t)mode);
        rbuf r;
        if (ml_request(&w, &r) == 0) {
            switch (rb_u8(&r)) {
            case RP_LOCAL: *handled = 0; ml_local_remember(abs, (mode & W_OK) != 0); break;
            case RP_OK: rc = 0; break;
            case RP_ERRNO: errno = (int)rb_u32(&r); break;
            default: errno = EIO;
            }
            ml_reply_free(&r);
        }
    }
    ml_leave();
    return rc;
}
DEFINE_REAL(access); DEFINE_REAL(faccessat); DEFINE_REAL(eaccess); DEFINE_REAL(euidaccess);
ML_EXPORT int access(const char *p, int m) { int h; int rc = access_common(AT_FDCWD, p, m, &h); return h ? rc : REAL(access)(p, m); }
ML_EXPORT int eaccess(const char *p, int m) { int h; int rc = access_common(AT_FDCWD, p, m, &h); return h ? rc : REAL(eaccess)(p, m); }
ML_EXPORT int euidaccess(const char *p, int m) { int h; int rc = access_common(AT_FDCWD, p, m, &h); return h ? rc : REAL(euidaccess)(p, m); }
ML_EXPORT int faccessat(int d, const char *p, int m, int fl) {
    int h; int rc = access_common(d, p, m, &h); return h ? rc : REAL(faccessat)(d, p, m, fl);
}

/* ---------------- directories ---------------- */
DEFINE_REAL(opendir); DEFINE_REAL(closedir); DEFINE_REAL(scandir); DEFINE_REAL(scandir64);
ML_EXPORT DIR *opendir(const char *path) {
    int handled;
    int fd = open_at_common(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, &handled);
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
    int fd = open_at_common(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, handled);
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

/* ---------------- path operations ---------------- */
/* Returns -2 when the operation should run locally. */
static long path_op(int op, int d1, const char *p1, int d2, const char *p2, uint64_t arg,
                    char *text, size_t text_cap) {
    if (!ml_enter(CFG_FS)) return -2;
    char a1[PATH_CAP], a2[PATH_CAP] = "";
    long rc = -2;
    int remote1 = ml_resolve_at(d1, p1, a1, sizeof a1) && !ml_path_fast_local(a1);
    int remote2 = p2 && ml_resolve_at(d2, p2, a2, sizeof a2) && !ml_path_fast_local(a2);
    if (remote1 || remote2) {
        if (!remote1) snprintf(a1, sizeof a1, "%s", p1);
        if (p2 && !remote2) snprintf(a2, sizeof a2, "%s", p2);
        wbuf w; wb_init(&w, OP_PATHOP);
        wb_u8(&w, (uint8_t)op); wb_str(&w, a1); wb_str(&w, a2); wb_u64(&w, arg);
        rbuf r;
        if (ml_request(&w, &r) != 0) rc = -1;
        else {
            switch (rb_u8(&r)) {
            case RP_LOCAL: rc = -2; break;
            case RP_OK: rc = 0; break;
            case RP_ERRNO: errno = (int)rb_u32(&r); rc = -1; break;
            case RP_NAME: {
                size_t n; const uint8_t *s = rb_bytes(&r, &n);
                if (!s) { errno = EIO; rc = -1; break; }
                if (n > text_cap) n = text_cap;
                memcpy(text, s, n);
                rc = (long)n;
                break;
            }
            default: errno = EIO; rc = -1;
            }
            ml_reply_free(&r);
        }
    }
    ml_leave();
    return rc;
}
#define LOCAL_OR(rc, call) ((rc) == -2 ? (call) : (int)(rc))
DEFINE_REAL(mkdir); DEFINE_REAL(mkdirat); DEFINE_REAL(rmdir); DEFINE_REAL(unlink); DEFINE_REAL(unlinkat);
DEFINE_REAL(rename); DEFINE_REAL(renameat); DEFINE_REAL(truncate); DEFINE_REAL(truncate64);
DEFINE_REAL(readlink); DEFINE_REAL(readlinkat);
ML_EXPORT int mkdir(const char *p, mode_t m) { long rc = path_op(PO_MKDIR, AT_FDCWD, p, 0, NULL, m, NULL, 0); return LOCAL_OR(rc, REAL(mkdir)(p, m)); }
ML_EXPORT int mkdirat(int d, const char *p, mode_t m) { long rc = path_op(PO_MKDIR, d, p, 0, NULL, m, NULL, 0); return LOCAL_OR(rc, REAL(mkdirat)(d, p, m)); }
ML_EXPORT int rmdir(const char *p) { long rc = path_op(PO_RMDIR, AT_FDCWD, p, 0, NULL, 0, NULL, 0); return LOCAL_OR(rc, REAL(rmdir)(p)); }
ML_EXPORT int unlink(const char *p) { long rc = path_op(PO_UNLINK, AT_FDCWD, p, 0, NULL, 0, NULL, 0); return LOCAL_OR(rc, REAL(unlink)(p)); }
ML_EXPORT int unlinkat(int d, const char *p, int fl) {
    long rc = path_op((fl & AT_REMOVEDIR) ? PO_RMDIR : PO_UNLINK, d, p, 0, NULL, 0, NULL, 0);
    return LOCAL_OR(rc, REAL(unlinkat)(d, p, fl));
}
ML_EXPORT int rename(const char *a, const char *b) { long rc = path_op(PO_RENAME, AT_FDCWD, a, AT_FDCWD, b, 0, NULL, 0); return LOCAL_OR(rc, REAL(rename)(a, b)); }
ML_EXPORT int renameat(int da, const char *a, int db, const char *b) { long rc = path_op(PO_RENAME, da, a, db, b, 0, NULL, 0); return LOCAL_OR(rc, REAL(renameat)(da, a, db, b)); }
ML_EXPORT int truncate(const char *p, off_t len) { long rc = path_op(PO_TRUNCATE, AT_FDCWD, p, 0, NULL, (uint64_t)len, NULL, 0); return LOCAL_OR(rc, REAL(truncate)(p, len)); }
ML_EXPORT int truncate64(const char *p, off64_t len) { long rc = path_op(PO_TRUNCATE, AT_FDCWD, p, 0, NULL, (uint64_t)len, NULL, 0); return LOCAL_OR(rc, REAL(truncate64)(p, len)); }
ML_EXPORT ssize_t readlink(const char *p, char *buf, size_t cap) {
    long rc = path_op(PO_READLINK, AT_FDCWD, p, 0, NULL, 0, buf, cap);
    return rc == -2 ? REAL(readlink)(p, buf, cap) : rc;
}
ML_EXPORT ssize_t readlinkat(int d, const char *p, char *buf, size_t cap) {
    long rc = path_op(PO_READLINK, d, p, 0, NULL, 0, buf, cap);
    return rc == -2 ? REAL(readlinkat)(d, p, buf, cap) : rc;
}

/* ---------------- realpath (java toRealPath, node realpathSync.native) ---------------- */
/* For a remote path the pod's answer is the lexically normalised path once the pod says it exists. */
static char *realpath_common(const char *path, char *resolved, int *handled) {
    *handled = 0;
    if (!path || !ml_enter(CFG_FS)) return NULL;
    char abs[PATH_CAP];
    char *out = NULL;
    if (ml_resolve_at(AT_FDCWD, path, abs, sizeof abs)) {
        struct stat st;
        int rc = ml_stat_path(abs, 1, &st, handled);
        if (*handled && rc == 0) {
            out = resolved ? resolved : malloc(PATH_CAP);
            if (out) snprintf(out, PATH_CAP, "%s", abs);
            else errno = ENOMEM;
        }
    }
    ml_leave();
    return out;
}
DEFINE_REAL(realpath); DEFINE_REAL(__realpath_chk);
extern char *__realpath_chk(const char *, char *, size_t);
ML_EXPORT char *realpath(const char *path, char *resolved) {
    int h; char *r = realpath_common(path, resolved, &h);
    return h ? r : REAL(realpath)(path, resolved);
}
ML_EXPORT char *__realpath_chk(const char *path, char *resolved, size_t len) {
    int h; char *r = realpath_common(path, resolved, &h);
    return h ? r : REAL(__realpath_chk)(path, resolved, len);
}

/* ---------------- xattrs: remote files have none (ls -l asks for them) ---------------- */
static int xattr_common(const char *path, int follow, int *handled) {
    *handled = 0;
    if (!path || !ml_enter(CFG_FS)) return -1;
    char abs[PATH_CAP];
    int rc = -1;
    if (ml_resolve_at(AT_FDCWD, path, abs, sizeof abs)) {
        struct stat st;
        rc = ml_stat_path(abs, follow, &st, handled);
        if (*handled && rc == 0) { errno = ENODATA; rc = -1; }
    }
    ml_leave();
    return rc;
}
DEFINE_REAL(getxattr); DEFINE_REAL(lgetxattr);
ML_EXPORT ssize_t getxattr(const char *path, const char *name, void *value, size_t size) {
    int h; int rc = xattr_common(path, 1, &h);
    return h ? rc : REAL(getxattr)(path, name, value, size);
}
ML_EXPORT ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size) {
    int h; int rc = xattr_common(path, 0, &h);
    return h ? rc : REAL(lgetxattr)(path, name, value, size);
}
