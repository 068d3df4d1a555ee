/*
 * Connection to the proxy: one unix-socket connection per thread (no locks on the request path),
 * opened lazily, reopened after fork (pid check) and after the application closed or overwrote it.
 * Connection fds are moved to high numbers so shells that dup2 onto small numbers leave them alone.
 */
#include "layer.h"
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_TRACKED_FD 65536
#define MAX_FRAME (256u * 1024u * 1024u)

__thread int ml_in_layer;
static __thread int my_fd = -1;
static __thread pid_t my_pid;
static __thread pid_t my_tid;
/* owner tid per connection fd; 0 = not a layer connection */
static pid_t conn_owner[MAX_TRACKED_FD];

DEFINE_REAL(socket); DEFINE_REAL(connect); DEFINE_REAL(close); DEFINE_REAL(read); DEFINE_REAL(write);
DEFINE_REAL(fcntl); DEFINE_REAL(open);

void *ml_real_sym(void **slot, const char *name) {
    void *p = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (!p) {
        p = dlsym(RTLD_NEXT, name);
        __atomic_store_n(slot, p, __ATOMIC_RELEASE);
    }
    return p;
}

static int env_state; /* 0 unknown, 1 on, 2 off */
int ml_env_enabled(void) {
    int s = __atomic_load_n(&env_state, __ATOMIC_RELAXED);
    if (s == 0) {
        const char *sock = getenv("MIRRORD_LAYER_SOCK");
        s = (sock && *sock) ? 1 : 2;
        __atomic_store_n(&env_state, s, __ATOMIC_RELAXED);
    }
    return s == 1;
}

void ml_warn_once(const char *what) {
    static int warned;
    if (__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED)) return;
    char msg[512];
    int n = snprintf(msg, sizeof msg, "mirrord layer (pid %d): %s\n", (int)getpid(), what);
    if (n > 0) { ssize_t ignored = REAL(write)(2, msg, (size_t)n); (void)ignored; }
}

int ml_is_conn_fd(int fd) {
    return fd >= 0 && fd < MAX_TRACKED_FD && __atomic_load_n(&conn_owner[fd], __ATOMIC_RELAXED) != 0;
}

void ml_conn_fd_closed(int fd) {
    if (fd >= 0 && fd < MAX_TRACKED_FD) __atomic_store_n(&conn_owner[fd], 0, __ATOMIC_RELAXED);
}

static int write_all(int fd, const uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t w = REAL(write)(fd, p, n);
        if (w < 0) { if (errno == EINTR) continue; return -1; }
        p += w; n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t r = REAL(read)(fd, p, n);
        if (r == 0) { errno = ECONNRESET; return -1; }
        if (r < 0) { if (errno == EINTR) continue; return -1; }
        p += r; n -= (size_t)r;
    }
    return 0;
}

/* Sends one frame and reads one reply frame on fd. */
static int exchange(int fd, wbuf *w, rbuf *reply) {
    if (write_all(fd, w->p, w->len) != 0) return -1;
    uint8_t hdr[4];
    if (read_all(fd, hdr, 4) != 0) return -1;
    uint32_t len = ((uint32_t)hdr[0] << 24) | ((uint32_t)hdr[1] << 16) | ((uint32_t)hdr[2] << 8) | hdr[3];
    if (len > MAX_FRAME) { errno = EPROTO; return -1; }
    uint8_t *body = ml_alloc(len ? len : 1);
    if (!body) { errno = ENOMEM; return -1; }
    if (read_all(fd, body, len) != 0) { ml_free(body); return -1; }
    reply->p = body; reply->len = len; reply->pos = 0; reply->bad = 0;
    return 0;
}

static void read_cmdline(char *out, size_t cap) {
    out[0] = 0;
    int fd = REAL(open)("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t n = REAL(read)(fd, out, cap - 1);
    REAL(close)(fd);
    if (n <= 0) return;
    for (ssize_t i = 0; i < n - 1; i++) if (out[i] == 0) out[i] = ' ';
    out[n] = 0;
}

static int send_hello(int fd) {
    char exe[4096] = "", cmdline[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) exe[n] = 0;
    read_cmdline(cmdline, sizeof cmdline);
    wbuf w; wb_init(&w, OP_HELLO);
    wb_u32(&w, (uint32_t)getpid());
    wb_u32(&w, (uint32_t)getppid());
    wb_str(&w, exe);
    wb_str(&w, cmdline);
    if (w.oom) { ml_free(w.p); errno = ENOMEM; return -1; }
    uint32_t body = (uint32_t)(w.len - 4);
    w.p[0] = body >> 24; w.p[1] = body >> 16; w.p[2] = body >> 8; w.p[3] = body;
    rbuf r;
    int rc = exchange(fd, &w, &r);
    ml_free(w.p);
    if (rc != 0) return -1;
    if (rb_u8(&r) == RP_HELLO && !ml_cfg_loaded()) ml_cfg_set(&r);
    ml_free((void *)r.p);
    return 0;
}

static int open_conn(void) {
    const char *path = getenv("MIRRORD_LAYER_SOCK");
    if (!path || strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) { errno = EIO; return -1; }
    int fd = REAL(socket)(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    strcpy(sa.sun_path, path);
    if (REAL(connect)(fd, (struct sockaddr *)&sa, sizeof sa) != 0) { REAL(close)(fd); return -1; }
    int high = REAL(fcntl)(fd, F_DUPFD_CLOEXEC, 700);
    if (high >= 0) { REAL(close)(fd); fd = high; }
    if (fd >= MAX_TRACKED_FD) { REAL(close)(fd); errno = EMFILE; return -1; }
    /* Safety net: the proxy answers every request promptly; never hang forever if it wedges. */
    struct timeval tv = { .tv_sec = 120 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (!my_tid) my_tid = (pid_t)syscall(SYS_gettid);
    __atomic_store_n(&conn_owner[fd], my_tid, __ATOMIC_RELAXED);
    if (send_hello(fd) != 0) {
        int e = errno;
        ml_conn_fd_closed(fd);
        REAL(close)(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Current thread's live connection, (re)opened as needed. */
static int get_conn(void) {
    pid_t pid = getpid();
    if (my_fd >= 0 && my_pid != pid) {
        /* forked child: the inherited socket belongs to the parent's session; drop our copy */
        if (ml_is_conn_fd(my_fd)) { ml_conn_fd_closed(my_fd); REAL(close)(my_fd); }
        my_fd = -1;
        my_tid = 0;
    }
    if (!my_tid) my_tid = (pid_t)syscall(SYS_gettid);
    if (my_fd >= 0 && __atomic_load_n(&conn_owner[my_fd], __ATOMIC_RELAXED) != my_tid) my_fd = -1;
    if (my_fd < 0) {
        my_fd = open_conn();
        my_pid = pid;
    }
    return my_fd;
}

static void drop_conn(void) {
    if (my_fd >= 0 && __atomic_load_n(&conn_owner[my_fd], __ATOMIC_RELAXED) == my_tid) {
        ml_conn_fd_closed(my_fd);
        REAL(close)(my_fd);
    }
    my_fd = -1;
}

int ml_request(wbuf *w, rbuf *reply) {
    if (w->oom) { ml_free(w->p); errno = ENOMEM; return -1; }
    uint32_t body = (uint32_t)(w->len - 4);
    w->p[0] = body >> 24; w->p[1] = body >> 16; w->p[2] = body >> 8; w->p[3] = body;
    int rc = -1;
    for (int attempt = 0; attempt < 2 && rc != 0; attempt++) {
        int fd = get_conn();
        if (fd < 0) break;
        rc = exchange(fd, w, reply);
        if (rc != 0) drop_conn();
    }
    ml_free(w->p);
    w->p = NULL;
    if (rc != 0) {
        ml_warn_once("cannot reach the mirrord proxy; remote operations fail with EIO");
        errno = EIO;
    }
    return rc;
}

void ml_reply_free(rbuf *reply) {
    ml_free((void *)reply->p);
    reply->p = NULL;
}

/* Ensures configuration is loaded; returns flags (0 if the proxy is unreachable). */
uint32_t ml_ensure_cfg(void) {
    if (!ml_cfg_loaded()) {
        int saved = errno;
        get_conn();
        errno = saved;
    }
    return ml_cfg_flags();
}

int ml_enter(uint32_t needed) {
    if (ml_in_layer || !ml_env_enabled()) return 0;
    ml_in_layer = 1;
    uint32_t flags = ml_ensure_cfg();
    if (!ml_cfg_loaded()) return 1; /* proxy unreachable: let the hook report EIO */
    if ((flags & CFG_SKIP) || (needed && !(flags & needed))) { ml_in_layer = 0; return 0; }
    return 1;
}

void ml_leave(void) { ml_in_layer = 0; }

/*
 * feature.env.load_from_process: the program's first process fetches the pod's environment itself
 * and sets it before main() runs; the marker is removed so children simply inherit the result.
 */
static void load_remote_env(void) {
    if (!getenv("MIRRORD_LAYER_LOAD_ENV") || (ml_cfg_flags() & CFG_SKIP)) return;
    wbuf w; wb_init(&w, OP_GETENV);
    rbuf r;
    if (ml_request(&w, &r) != 0) return;
    if (rb_u8(&r) == RP_ENV) {
        uint32_t n = rb_u32(&r);
        for (uint32_t i = 0; i < n && !r.bad; i++) {
            size_t kl, vl;
            const uint8_t *k = rb_bytes(&r, &kl), *v = rb_bytes(&r, &vl);
            if (!k || !v) break;
            char *ks = strndup((const char *)k, kl), *vs = strndup((const char *)v, vl);
            if (ks && vs && kl > 0) setenv(ks, vs, 1);
            free(ks);
            free(vs);
        }
    }
    ml_reply_free(&r);
    unsetenv("MIRRORD_LAYER_LOAD_ENV");
}

__attribute__((constructor)) static void ml_init(void) {
    if (!ml_env_enabled()) return;
    int saved = errno;
    ml_in_layer = 1;
    ml_ensure_cfg();
    load_remote_env();
    ml_in_layer = 0;
    errno = saved;
}
