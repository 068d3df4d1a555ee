/* Exported path-operation hooks: mkdir, rmdir, unlink, rename, truncate, readlink. */
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

