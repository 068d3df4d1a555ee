/*
 * File policy plumbing: ask the proxy, then hand the application a real descriptor.
 * Remote file read  -> memfd holding the bytes, remote mode/times applied (fstat answers them).
 * Remote file write -> writable memfd, written back on close and fsync.
 * Remote directory  -> a local skeleton copy (same names and types, empty files).
 */
#include "layer.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <unistd.h>

DEFINE_REAL(open); DEFINE_REAL(close); DEFINE_REAL(write); DEFINE_REAL(mkdir); DEFINE_REAL(symlink);
DEFINE_REAL(pread); DEFINE_REAL(fchmod); DEFINE_REAL(futimens); DEFINE_REAL(lseek); DEFINE_REAL(fcntl);

typedef struct {
    uint64_t dev, ino, nlink, size, blksize, blocks;
    uint32_t mode, uid, gid;
    int64_t at_s, mt_s, ct_s;
    uint32_t at_ns, mt_ns, ct_ns;
} meta_t;

static void read_meta(rbuf *r, meta_t *m) {
    m->dev = rb_u64(r); m->ino = rb_u64(r); m->nlink = rb_u64(r);
    m->mode = rb_u32(r); m->uid = rb_u32(r); m->gid = rb_u32(r);
    m->size = rb_u64(r); m->blksize = rb_u64(r); m->blocks = rb_u64(r);
    m->at_s = (int64_t)rb_u64(r); m->at_ns = rb_u32(r);
    m->mt_s = (int64_t)rb_u64(r); m->mt_ns = rb_u32(r);
    m->ct_s = (int64_t)rb_u64(r); m->ct_ns = rb_u32(r);
}

static void fill_stat(const meta_t *m, struct stat *st) {
    memset(st, 0, sizeof *st);
    st->st_dev = m->dev; st->st_ino = m->ino; st->st_nlink = m->nlink;
    st->st_mode = m->mode; st->st_uid = m->uid; st->st_gid = m->gid;
    st->st_size = (off_t)m->size; st->st_blksize = (blksize_t)m->blksize; st->st_blocks = (blkcnt_t)m->blocks;
    st->st_atim.tv_sec = m->at_s; st->st_atim.tv_nsec = m->at_ns;
    st->st_mtim.tv_sec = m->mt_s; st->st_mtim.tv_nsec = m->mt_ns;
    st->st_ctim.tv_sec = m->ct_s; st->st_ctim.tv_nsec = m->ct_ns;
}

static void fill_statx(const meta_t *m, struct statx *sx) {
    memset(sx, 0, sizeof *sx);
    sx->stx_mask = STATX_BASIC_STATS;
    sx->stx_blksize = (uint32_t)m->blksize; sx->stx_nlink = (uint32_t)m->nlink;
    sx->stx_uid = m->uid; sx->stx_gid = m->gid; sx->stx_mode = (uint16_t)m->mode;
    sx->stx_ino = m->ino; sx->stx_size = m->size; sx->stx_blocks = m->blocks;
    sx->stx_atime.tv_sec = m->at_s; sx->stx_atime.tv_nsec = m->at_ns;
    sx->stx_mtime.tv_sec = m->mt_s; sx->stx_mtime.tv_nsec = m->mt_ns;
    sx->stx_ctime.tv_sec = m->ct_s; sx->stx_ctime.tv_nsec = m->ct_ns;
    sx->stx_dev_major = (uint32_t)(m->dev >> 8) & 0xfff; sx->stx_dev_minor = (uint32_t)(m->dev & 0xff);
}

/* Lexically normalises an absolute path ("//", "/./", "/../") into out. */
static int normalize(const char *in, char *out, size_t cap) {
    size_t o = 0;
    const char *p = in;
    while (*p) {
        while (*p == '/') p++;
        if (!*p) break;
        const char *seg = p;
        while (*p && *p != '/') p++;
        size_t n = (size_t)(p - seg);
        if (n == 1 && seg[0] == '.') continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;
            continue;
        }
        if (o + 1 + n + 1 > cap) return 0;
        out[o++] = '/';
        memcpy(out + o, seg, n);
        o += n;
    }
    if (o == 0) out[o++] = '/';
    out[o] = 0;
    return 1;
}

int ml_resolve_at(int dirfd, const char *path, char *out, size_t cap) {
    if (!path || !*path) return 0;
    if (path[0] == '/') return normalize(path, out, cap);
    if (dirfd == AT_FDCWD) return 0; /* relative paths stay local: the cwd is local */
    ml_fdent e;
    if (ml_fd_get(dirfd, &e) != FD_RDIR) return 0;
    char joined[8192];
    if ((size_t)snprintf(joined, sizeof joined, "%s/%s", e.path, path) >= sizeof joined) return 0;
    return normalize(joined, out, cap);
}

static int make_memfd(const char *path, int flags, int writable, const meta_t *m,
                      const uint8_t *data, size_t n) {
    const char *base = strrchr(path, '/');
    int fd = memfd_create(base ? base + 1 : path, (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < n) {
        ssize_t w = REAL(write)(fd, data + off, n - off);
        if (w < 0) { if (errno == EINTR) continue; int e = errno; REAL(close)(fd); errno = e; return -1; }
        off += (size_t)w;
    }
    REAL(fchmod)(fd, m->mode & 07777);
    struct timespec ts[2] = { { m->at_s, m->at_ns }, { m->mt_s, m->mt_ns } };
    REAL(futimens)(fd, ts);
    REAL(lseek)(fd, 0, SEEK_SET);
    if (!writable) {
        /* a truly read-only descriptor: writes fail with EBADF as on the real file */
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        int ro = REAL(open)(proc, O_RDONLY | (flags & (O_CLOEXEC | O_NONBLOCK)));
        if (ro >= 0) { REAL(close)(fd); fd = ro; }
    } else if (flags & O_APPEND) {
        REAL(fcntl)(fd, F_SETFL, O_APPEND);
    }
    return fd;
}

static int make_dir_copy(const char *path, int flags, rbuf *r) {
    const char *tmproot = getenv("MIRRORD_LAYER_TMP");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/mirrord-dir-XXXXXX", tmproot && *tmproot ? tmproot : "/tmp");
    if (!mkdtemp(dir)) return -1;
    uint32_t count = rb_u32(r);
    for (uint32_t i = 0; i < count && !r->bad; i++) {
        char name[1024], target[4096], full[8192];
        rb_str(r, name, sizeof name);
        uint8_t type = rb_u8(r);
        rb_str(r, target, sizeof target);
        if (!name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) continue;
        snprintf(full, sizeof full, "%s/%s", dir, name);
        if (type == DT_DIR) REAL(mkdir)(full, 0755);
        else if (type == DT_LNK) REAL(symlink)(target[0] ? target : "/dev/null", full);
        else { int f = REAL(open)(full, O_CREAT | O_WRONLY | O_CLOEXEC, 0644); if (f >= 0) REAL(close)(f); }
    }
    int fd = REAL(open)(dir, O_RDONLY | O_DIRECTORY | (flags & (O_CLOEXEC | O_NONBLOCK)));
    if (fd < 0) { int e = errno; ml_remove_copy(dir); errno = e; return -1; }
    ml_fdent e = { .kind = FD_RDIR };
    snprintf(e.path, sizeof e.path, "%s", path);
    snprintf(e.copy, sizeof e.copy, "%s", dir);
    ml_fd_set(fd, &e);
    return fd;
}

static int open_writes(int flags) {
    return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC | O_APPEND));
}

DEFINE_REAL(unlinkat); DEFINE_REAL(rmdir);

/*
 * The copy holds only empty files, symlinks and empty directories: one level to remove. Read with
 * getdents64 into a stack buffer rather than opendir, which would allocate with the program's malloc.
 */
void ml_remove_copy(const char *copy) {
    if (!copy[0]) return;
    int dfd = REAL(open)(copy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        char buf[4096] __attribute__((aligned(8)));
        ssize_t n;
        while ((n = getdents64(dfd, buf, sizeof buf)) > 0) {
            for (ssize_t off = 0; off < n;) {
                struct dirent64 *de = (struct dirent64 *)(buf + off);
                off += de->d_reclen;
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
                REAL(unlinkat)(dfd, de->d_name, de->d_type == DT_DIR ? AT_REMOVEDIR : 0);
            }
        }
        REAL(close)(dfd);
    }
    REAL(rmdir)(copy);
}

int ml_open_path(const char *abs, int flags, mode_t mode, int *handled) {
    *handled = 0;
    if (ml_cfg_loaded() && (ml_path_fast_local(abs) || !(ml_cfg_flags() & CFG_FS))) return -1;
    if (ml_local_cached(abs, open_writes(flags))) return -1;
    *handled = 1;
    wbuf w; wb_init(&w, OP_OPEN);
    wb_str(&w, abs); wb_u32(&w, (uint32_t)flags); wb_u32(&w, (uint32_t)mode);
    rbuf r;
    if (ml_request(&w, &r) != 0) return -1;
    int fd = -1, saved = 0;
    switch (rb_u8(&r)) {
    case RP_LOCAL: *handled = 0; ml_local_remember(abs, open_writes(flags)); break;
    case RP_ERRNO: saved = (int)rb_u32(&r); break;
    case RP_FILE: {
        int writable = rb_u8(&r);
        meta_t m; read_meta(&r, &m);
        size_t n; const uint8_t *data = rb_bytes(&r, &n);
        if (r.bad) { saved = EIO; break; }
        fd = make_memfd(abs, flags, writable, &m, data, n);
        if (fd < 0) { saved = errno; break; }
        {
            /* read-only ones are tracked too: fstatfs/fstatvfs on them ask the pod by path */
            ml_fdent e = { .kind = writable ? FD_WFILE : FD_RFILE };
            snprintf(e.path, sizeof e.path, "%s", abs);
            ml_fd_set(fd, &e);
        }
        break;
    }
    case RP_DIR:
        fd = make_dir_copy(abs, flags, &r);
        if (fd < 0) saved = errno ? errno : EIO;
        break;
    default: saved = EIO;
    }
    ml_reply_free(&r);
    if (fd < 0 && *handled) errno = saved ? saved : EIO;
    return fd;
}

int ml_writeback(int fd, const ml_fdent *e) {
    struct stat st;
    if (fstat(fd, &st) != 0) return -1;
    size_t n = (size_t)st.st_size;
    uint8_t *buf = ml_alloc(n ? n : 1);
    if (!buf) { errno = ENOMEM; return -1; }
    size_t off = 0;
    while (off < n) {
        ssize_t got = REAL(pread)(fd, buf + off, n - off, (off_t)off);
        if (got <= 0) { if (got < 0 && errno == EINTR) continue; break; }
        off += (size_t)got;
    }
    wbuf w; wb_init(&w, OP_WRITEBACK);
    wb_str(&w, e->path); wb_bytes(&w, buf, off);
    ml_free(buf);
    rbuf r;
    if (ml_request(&w, &r) != 0) return -1;
    int rc = 0;
    if (rb_u8(&r) == RP_ERRNO) { errno = (int)rb_u32(&r); rc = -1; }
    ml_reply_free(&r);
    return rc;
}

/* Shared by stat and statx: returns the reply positioned after the META tag, or handled=0. */
static int stat_request(const char *abs, int follow, meta_t *m, int *handled) {
    *handled = 0;
    if (ml_cfg_loaded() && (ml_path_fast_local(abs) || !(ml_cfg_flags() & CFG_FS))) return -1;
    if (ml_local_cached(abs, 0)) return -1;
    *handled = 1;
    wbuf w; wb_init(&w, OP_STAT);
    wb_str(&w, abs); wb_u8(&w, (uint8_t)follow);
    rbuf r;
    if (ml_request(&w, &r) != 0) return -1;
    int rc = -1, saved = EIO;
    switch (rb_u8(&r)) {
    case RP_LOCAL: *handled = 0; ml_local_remember(abs, 0); break;
    case RP_ERRNO: saved = (int)rb_u32(&r); break;
    case RP_META: read_meta(&r, m); if (!r.bad) rc = 0; break;
    default: break;
    }
    ml_reply_free(&r);
    if (rc != 0 && *handled) errno = saved;
    return rc;
}

int ml_stat_path(const char *abs, int follow, struct stat *st, int *handled) {
    meta_t m;
    int rc = stat_request(abs, follow, &m, handled);
    if (rc == 0) fill_stat(&m, st);
    return rc;
}

int ml_statx_path(const char *abs, int follow, struct statx *stx, int *handled) {
    meta_t m;
    int rc = stat_request(abs, follow, &m, handled);
    if (rc == 0) fill_statx(&m, stx);
    return rc;
}

/* statfs of a remote path: the pod's filesystem figures. handled=0 when the path is local. */
int ml_statfs_path(const char *abs, struct statfs *out, int *handled) {
    *handled = 0;
    if (ml_cfg_loaded() && (ml_path_fast_local(abs) || !(ml_cfg_flags() & CFG_FS))) return -1;
    if (ml_local_cached(abs, 0)) return -1;
    *handled = 1;
    wbuf w; wb_init(&w, OP_STATFS);
    wb_str(&w, abs);
    rbuf r;
    if (ml_request(&w, &r) != 0) return -1;
    int rc = -1, saved = EIO;
    switch (rb_u8(&r)) {
    case RP_LOCAL: *handled = 0; ml_local_remember(abs, 0); break;
    case RP_ERRNO: saved = (int)rb_u32(&r); break;
    case RP_FSSTAT: {
        memset(out, 0, sizeof *out);
        out->f_type = (__fsword_t)rb_u64(&r);
        out->f_bsize = (__fsword_t)rb_u64(&r);
        out->f_blocks = rb_u64(&r);
        out->f_bfree = rb_u64(&r);
        out->f_bavail = rb_u64(&r);
        out->f_files = rb_u64(&r);
        out->f_ffree = rb_u64(&r);
        uint64_t fsid = rb_u64(&r);
        memcpy(&out->f_fsid, &fsid, sizeof fsid < sizeof out->f_fsid ? sizeof fsid : sizeof out->f_fsid);
        out->f_namelen = (__fsword_t)rb_u64(&r);
        out->f_frsize = (__fsword_t)rb_u64(&r);
        out->f_flags = (__fsword_t)rb_u64(&r);
        if (!r.bad) rc = 0;
        break;
    }
    default: break;
    }
    ml_reply_free(&r);
    if (rc != 0 && *handled) errno = saved;
    return rc;
}
