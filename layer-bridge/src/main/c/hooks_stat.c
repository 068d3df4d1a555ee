/* Exported metadata hooks: stat family, access, realpath, xattrs. */
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

