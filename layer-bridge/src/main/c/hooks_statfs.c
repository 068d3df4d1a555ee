/*
 * statfs family: a remote path answers the pod's filesystem (the agent runs statfs on it inside the
 * target's mount namespace), a local path stays local, like stat. glibc's statvfs does not go
 * through an exported statfs, so every entry point is hooked; the 64 variants have the same layout
 * on 64-bit Linux.
 */
#include "layer.h"
#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#define PATH_CAP 4096
#define ML_ST_VALID 0x0020

static int statfs_common(const char *path, struct statfs *out, int *handled) {
    *handled = 0;
    if (!path || !ml_enter(0)) return -1;
    char abs[PATH_CAP];
    int rc = -1;
    if (ml_resolve_at(AT_FDCWD, path, abs, sizeof abs)) rc = ml_statfs_path(abs, out, handled);
    ml_leave();
    return rc;
}

/* A remote file's memfd or a remote directory's copy: ask the pod about the path it stands for. */
static int fstatfs_common(int fd, struct statfs *out, int *handled) {
    *handled = 0;
    ml_fdent e;
    if (!ml_fd_any()) return -1;
    int kind = ml_fd_get(fd, &e);
    if ((kind != FD_RFILE && kind != FD_WFILE && kind != FD_RDIR) || !ml_enter(CFG_FS)) return -1;
    int rc = ml_statfs_path(e.path, out, handled);
    ml_leave();
    return rc;
}

/* What glibc's statvfs derives from statfs. */
static void to_statvfs(const struct statfs *f, struct statvfs *v) {
    memset(v, 0, sizeof *v);
    v->f_bsize = (unsigned long)f->f_bsize;
    v->f_frsize = (unsigned long)(f->f_frsize ? f->f_frsize : f->f_bsize);
    v->f_blocks = f->f_blocks;
    v->f_bfree = f->f_bfree;
    v->f_bavail = f->f_bavail;
    v->f_files = f->f_files;
    v->f_ffree = f->f_ffree;
    v->f_favail = f->f_ffree;
    memcpy(&v->f_fsid, &f->f_fsid, sizeof v->f_fsid < sizeof f->f_fsid ? sizeof v->f_fsid : sizeof f->f_fsid);
    v->f_namemax = (unsigned long)f->f_namelen;
    v->f_flag = (unsigned long)((f->f_flags & ML_ST_VALID) ? (f->f_flags & ~ML_ST_VALID) : 0);
}

DEFINE_REAL(statfs); DEFINE_REAL(statfs64); DEFINE_REAL(fstatfs); DEFINE_REAL(fstatfs64);
DEFINE_REAL(statvfs); DEFINE_REAL(statvfs64); DEFINE_REAL(fstatvfs); DEFINE_REAL(fstatvfs64);

ML_EXPORT int statfs(const char *p, struct statfs *out) {
    int h; int rc = statfs_common(p, out, &h); return h ? rc : REAL(statfs)(p, out);
}
ML_EXPORT int statfs64(const char *p, struct statfs64 *out) {
    int h; int rc = statfs_common(p, (struct statfs *)out, &h); return h ? rc : REAL(statfs64)(p, out);
}
ML_EXPORT int fstatfs(int fd, struct statfs *out) {
    int h; int rc = fstatfs_common(fd, out, &h); return h ? rc : REAL(fstatfs)(fd, out);
}
ML_EXPORT int fstatfs64(int fd, struct statfs64 *out) {
    int h; int rc = fstatfs_common(fd, (struct statfs *)out, &h); return h ? rc : REAL(fstatfs64)(fd, out);
}
ML_EXPORT int statvfs(const char *p, struct statvfs *out) {
    struct statfs f; int h; int rc = statfs_common(p, &f, &h);
    if (!h) return REAL(statvfs)(p, out);
    if (rc == 0) to_statvfs(&f, out);
    return rc;
}
ML_EXPORT int statvfs64(const char *p, struct statvfs64 *out) {
    struct statfs f; int h; int rc = statfs_common(p, &f, &h);
    if (!h) return REAL(statvfs64)(p, out);
    if (rc == 0) to_statvfs(&f, (struct statvfs *)out);
    return rc;
}
ML_EXPORT int fstatvfs(int fd, struct statvfs *out) {
    struct statfs f; int h; int rc = fstatfs_common(fd, &f, &h);
    if (!h) return REAL(fstatvfs)(fd, out);
    if (rc == 0) to_statvfs(&f, out);
    return rc;
}
ML_EXPORT int fstatvfs64(int fd, struct statvfs64 *out) {
    struct statfs f; int h; int rc = fstatfs_common(fd, &f, &h);
    if (!h) return REAL(fstatvfs64)(fd, out);
    if (rc == 0) to_statvfs(&f, (struct statvfs *)out);
    return rc;
}

_Static_assert(sizeof(struct statfs) == sizeof(struct statfs64), "statfs64 differs from statfs");
_Static_assert(sizeof(struct statvfs) == sizeof(struct statvfs64), "statvfs64 differs from statvfs");
