/*
 * mirrordj native layer: shared declarations.
 *
 * The layer is deliberately thin. Every hook asks the proxy (over a per-thread unix-socket
 * connection, see conn.c) what to do and then works on real descriptors: a remote file becomes a
 * memfd, a remote directory a local skeleton copy, an outgoing connection a real socket connected to
 * an interceptor of the proxy. All policy lives in the Java proxy.
 */
#ifndef MIRRORD_LAYER_H
#define MIRRORD_LAYER_H

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define ML_EXPORT __attribute__((visibility("default")))

/* Resolve the next definition of a libc symbol once; safe to call before the constructor. */
#define REAL(name) \
    ((__typeof__(&name))ml_real_sym(&real_##name##_ptr, #name))
#define DEFINE_REAL(name) static void *real_##name##_ptr
void *ml_real_sym(void **slot, const char *name);

/*
 * ---- wire protocol (see layer-bridge/README.md) ----
 * These three tables are the same as the Java enums LayerOp, LayerReplyTag and LayerRequest.PathOp.Op;
 * LayerWireTableTest parses this header and fails when a name or number differs on either side.
 * One "NAME = number" per line so the test can read them.
 */
enum ml_op {
    OP_HELLO = 1,
    OP_OPEN = 2,
    OP_STAT = 3,
    OP_ACCESS = 4,
    OP_PATHOP = 5,
    OP_WRITEBACK = 6,
    OP_CONNECT = 7,
    OP_DNS = 8,
    OP_HOSTNAME = 9,
    OP_LISTEN = 10,
    OP_GETENV = 11,
    OP_UNLISTEN = 12,
    OP_CONNINFO = 13,   /* getsockname of a redirected stream; answered with RP_ADDRESS */
    OP_BINDBUSY = 14,   /* incoming: bind found the requested port busy; may the layer bind a random one */
    OP_STATFS = 15,     /* statfs/statvfs of a path; answered with RP_FSSTAT */
};
enum ml_reply {
    RP_LOCAL = 0,
    RP_ERRNO = 1,
    RP_OK = 2,
    RP_FILE = 3,
    RP_DIR = 4,
    RP_META = 5,
    RP_REDIRECT = 6,
    RP_ADDRS = 7,
    RP_NAME = 8,
    RP_HELLO = 9,
    RP_EAI = 10,
    RP_ENV = 11,
    RP_ADDRESS = 12,
    RP_FSSTAT = 13,
};
enum ml_pathop {
    PO_MKDIR = 1,
    PO_RMDIR = 2,
    PO_UNLINK = 3,
    PO_RENAME = 4,
    PO_TRUNCATE = 5,
    PO_READLINK = 6,
};

typedef struct { uint8_t *p; size_t len, cap; int oom; } wbuf;
typedef struct { const uint8_t *p; size_t len, pos; int bad; } rbuf;

void wb_init(wbuf *w, uint8_t op);
void wb_u8(wbuf *w, uint8_t v);
void wb_u32(wbuf *w, uint32_t v);
void wb_u64(wbuf *w, uint64_t v);
void wb_bytes(wbuf *w, const void *b, size_t n);
void wb_str(wbuf *w, const char *s);
uint8_t rb_u8(rbuf *r);
uint32_t rb_u32(rbuf *r);
uint64_t rb_u64(rbuf *r);
/* Points into the buffer; *n gets the length. NULL when malformed. */
const uint8_t *rb_bytes(rbuf *r, size_t *n);
/* Copies a string into dst (NUL-terminated, truncated to cap). Returns length or -1. */
long rb_str(rbuf *r, char *dst, size_t cap);

/* Sends a request and waits for the reply. Returns 0 and a malloc'd reply (free with ml_reply_free)
 * or -1 with errno set (EIO when the proxy cannot be reached). Consumes w. */
int ml_request(wbuf *w, rbuf *reply);
void ml_reply_free(rbuf *reply);


/* ---- process-wide configuration from the proxy's HELLO reply (LayerReply.Hello flags; LayerWireTableTest keeps them equal) ---- */
#define CFG_FS       0x01u
#define CFG_OUTGOING 0x02u
#define CFG_DNS      0x04u
#define CFG_HOSTNAME 0x08u
#define CFG_SKIP     0x10u
#define CFG_UNIX_STREAMS 0x20u
#define CFG_LISTEN   0x40u
uint32_t ml_cfg_flags(void);         /* 0 when the proxy was never reached */
int ml_cfg_loaded(void);
void ml_cfg_set(rbuf *hello_reply);  /* parses the HELLO reply body */
/* 1 if the path is local according to the fast-path lists the proxy sent. */
int ml_path_fast_local(const char *abs_path);
/* listen_ports: the local port to bind instead of the requested one, 0 when not mapped. */
int ml_cfg_listen_port(int requested);

/* ---- the layer's own memory (mem.c): mmap-backed, never the program's allocator ---- */
void *ml_alloc(size_t n);     /* request-sized: pooled */
void *ml_alloc_fit(size_t n); /* long-lived: exactly the pages needed */
void *ml_realloc(void *p, size_t n);
void ml_free(void *p);

/* ---- guard ---- */
extern __thread int ml_in_layer;
/* 1 when the calling hook should do its layer work; sets the guard. Always pair with ml_leave. */
int ml_enter(uint32_t needed_cfg_flag);
void ml_leave(void);
/* 1 when the layer is configured in this process at all (MIRRORD_LAYER_SOCK present). */
int ml_env_enabled(void);
void ml_warn_once(const char *what);

/* ---- connection bookkeeping (conn.c) ---- */
int ml_is_conn_fd(int fd);
void ml_conn_fd_closed(int fd);
void ml_atfork_prepare(void);
void ml_atfork_parent(void);
void ml_atfork_child(void);

/* ---- fd table (fdtable.c) ---- */
enum ml_fdkind { FD_NONE = 0, FD_RFILE = 1, FD_WFILE = 2, FD_RDIR = 3, FD_SOCK = 4, FD_LISTEN = 5 /* remote = bound address */,
                FD_BOUND = 6 /* bound on a listen_ports port; local = the requested address */ };
typedef struct {
    int kind;
    char path[4096];                 /* remote path for files/dirs */
    char copy[4096];                 /* FD_RDIR: the local skeleton copy, removed with its last fd */
    struct sockaddr_storage remote;  /* remote peer for redirected sockets */
    socklen_t remote_len;
    struct sockaddr_storage intercept; /* interceptor address the real socket talks to */
    socklen_t intercept_len;
    struct sockaddr_storage local;   /* FD_SOCK stream: pod-side local address, once asked (getsockname);
                                        FD_BOUND/FD_LISTEN: the address the program asked to bind */
    socklen_t local_len;
} ml_fdent;
int ml_fd_get(int fd, ml_fdent *out);      /* copy; returns kind (FD_NONE when untracked) */
void ml_fd_set(int fd, const ml_fdent *e);
void ml_fd_clear(int fd);
void ml_fd_copy(int from, int to);
int ml_fd_any(void);                       /* fast check: anything tracked at all */
int ml_fd_count_copy(const char *copy);    /* how many fds still refer to this directory copy */
int ml_fd_count_listen(const ml_fdent *e);  /* incoming: how many fds still hold this listener */
void ml_listener_closed(const ml_fdent *e); /* incoming: tell the proxy the listener is gone (op 12) */
void ml_remove_copy(const char *copy);     /* deletes a directory copy (files.c) */
void ml_fdtab_lock(void);
void ml_fdtab_unlock(void);
void ml_fdtab_reinit(void);

/* ---- files (files.c) ---- */
/* Writes back a tracked writable fd's content to the remote file (close/fsync). */
int ml_writeback(int fd, const ml_fdent *e);
/* Turns (dirfd, path) into an absolute remote-candidate path. 0 = local (bypass), 1 = candidate. */
int ml_resolve_at(int dirfd, const char *path, char *out, size_t cap);
/* Core of every open: *handled=0 means the caller must call the real function. */
int ml_open_path(const char *abs, int flags, mode_t mode, int *handled);
int ml_stat_path(const char *abs, int follow, struct stat *st, int *handled);
int ml_statx_path(const char *abs, int follow, struct statx *stx, int *handled);
struct statfs;
int ml_statfs_path(const char *abs, struct statfs *out, int *handled);

/* ---- local-decision cache (cache.c) ---- */
int ml_local_cached(const char *path, int write);
void ml_local_remember(const char *path, int write);
void ml_cache_lock(void);
void ml_cache_unlock(void);
void ml_cache_reinit(void);

/* ---- shared by the open hooks (hooks_open.c) ---- */
int ml_open_at_common(int dirfd, const char *path, int flags, mode_t mode, int *handled);

/* ---- misc ---- */
const char *ml_self_path(void);

/* exec of a static or Go program under the LD_PRELOAD layer: started behind the seccomp launcher
 * when run offers one (exec_static.c). Returns 1 with malloc'd vectors in out, 0 to exec as asked. */
struct ml_launch { const char *path; char **argv; char **envp; };
int ml_static_launch(const char *file, int search, char *const argv[], char *const envp[],
                     struct ml_launch *out);
void ml_dns_lock(void);
void ml_dns_unlock(void);
void ml_dns_reinit(void);

#endif
