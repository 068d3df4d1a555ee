/*
 * Socket hooks. An outgoing connection the proxy wants remote is a real socket connected to one of
 * the proxy's interceptors; getpeername and received source addresses are rewritten back to the
 * remote peer so the application never notices. listen() tells the proxy about the local listener.
 */
#include "layer.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <fcntl.h>
#include <unistd.h>

DEFINE_REAL(connect); DEFINE_REAL(getpeername); DEFINE_REAL(sendto); DEFINE_REAL(sendmsg);
DEFINE_REAL(recvfrom); DEFINE_REAL(recvmsg); DEFINE_REAL(listen); DEFINE_REAL(getsockname);
DEFINE_REAL(bind);

/* Encodes an address; v4-mapped IPv6 travels as IPv4. Returns 0 for families we do not manage. */
static int put_addr(wbuf *w, const struct sockaddr *sa, socklen_t len) {
    if (!sa) return 0;
    if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *s = (const void *)sa;
        wb_u8(w, 4); wb_bytes(w, &s->sin_addr, 4); wb_u32(w, ntohs(s->sin_port));
        return 1;
    }
    if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *s = (const void *)sa;
        if (IN6_IS_ADDR_V4MAPPED(&s->sin6_addr)) { wb_u8(w, 4); wb_bytes(w, &s->sin6_addr.s6_addr[12], 4); }
        else { wb_u8(w, 6); wb_bytes(w, &s->sin6_addr, 16); }
        wb_u32(w, ntohs(s->sin6_port));
        return 1;
    }
    if (sa->sa_family == AF_UNIX && len > offsetof(struct sockaddr_un, sun_path)) {
        const struct sockaddr_un *s = (const void *)sa;
        size_t n = len - offsetof(struct sockaddr_un, sun_path);
        char path[sizeof s->sun_path + 1];
        memcpy(path, s->sun_path, n);
        path[n] = 0;
        if (path[0] == 0) path[0] = '@'; /* abstract namespace */
        else n = strnlen(path, n);
        wb_u8(w, 1); wb_bytes(w, path, n); wb_u32(w, 0);
        return 1;
    }
    return 0;
}

/* Decodes an address into the socket's own family (IPv4 into v4-mapped for AF_INET6 sockets). */
static int get_addr(rbuf *r, int sock_family, struct sockaddr_storage *out, socklen_t *len) {
    uint8_t fam = rb_u8(r);
    size_t n; const uint8_t *ip = rb_bytes(r, &n);
    uint32_t port = rb_u32(r);
    if (r->bad || !ip) return -1;
    memset(out, 0, sizeof *out);
    if (fam == 4 && n == 4 && sock_family == AF_INET) {
        struct sockaddr_in *s = (void *)out;
        s->sin_family = AF_INET; s->sin_port = htons((uint16_t)port); memcpy(&s->sin_addr, ip, 4);
        *len = sizeof *s;
    } else if ((fam == 4 || fam == 6) && sock_family == AF_INET6) {
        struct sockaddr_in6 *s = (void *)out;
        s->sin6_family = AF_INET6; s->sin6_port = htons((uint16_t)port);
        if (fam == 4) { s->sin6_addr.s6_addr[10] = 0xff; s->sin6_addr.s6_addr[11] = 0xff; memcpy(&s->sin6_addr.s6_addr[12], ip, 4); }
        else if (n == 16) memcpy(&s->sin6_addr, ip, 16);
        *len = sizeof *s;
    } else if (fam == 1 && sock_family == AF_UNIX && n < sizeof(((struct sockaddr_un *)0)->sun_path)) {
        struct sockaddr_un *s = (void *)out;
        s->sun_family = AF_UNIX; memcpy(s->sun_path, ip, n);
        if (n > 0 && s->sun_path[0] == '@') s->sun_path[0] = 0;
        *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (s->sun_path[0] ? 1 : 0));
    } else {
        return -1;
    }
    return 0;
}

static int sock_info(int fd, int *family, int *type) {
    struct sockaddr_storage ss; socklen_t sl = sizeof ss;
    if (REAL(getsockname)(fd, (struct sockaddr *)&ss, &sl) != 0) return -1;
    *family = ss.ss_family;
    socklen_t tl = sizeof *type;
    return getsockopt(fd, SOL_SOCKET, SO_TYPE, type, &tl);
}

static int port_of(const struct sockaddr *sa) {
    if (sa->sa_family == AF_INET) return ntohs(((const struct sockaddr_in *)sa)->sin_port);
    if (sa->sa_family == AF_INET6) return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
    return 0;
}

static void set_port(struct sockaddr *sa, socklen_t len, int port) {
    if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in))
        ((struct sockaddr_in *)sa)->sin_port = htons((uint16_t)port);
    else if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
        ((struct sockaddr_in6 *)sa)->sin6_port = htons((uint16_t)port);
}

/*
 * Asks the proxy where an outgoing connection/datagram to addr should go. Returns 0 with
 * *redirected set (and the fd table updated), -2 for "local", -1 with errno for an error.
 */
static int route(int fd, const struct sockaddr *addr, socklen_t len, ml_fdent *e) {
    int family, type;
    if (!addr || (addr->sa_family != AF_INET && addr->sa_family != AF_INET6 && addr->sa_family != AF_UNIX))
        return -2;
    if (addr->sa_family == AF_UNIX && !(ml_cfg_flags() & CFG_UNIX_STREAMS)) return -2;
    if (sock_info(fd, &family, &type) != 0) return -2;
    type &= 0xf;
    if (type != SOCK_STREAM && type != SOCK_DGRAM) return -2;
    wbuf w; wb_init(&w, OP_CONNECT);
    wb_u8(&w, (uint8_t)type);
    if (!put_addr(&w, addr, len)) { ml_free(w.p); return -2; }
    /* A non-blocking stream connect must not wait for the pod side: the proxy answers at once. */
    int nonblocking = type == SOCK_STREAM && (fcntl(fd, F_GETFL) & O_NONBLOCK);
    wb_u8(&w, nonblocking ? 1 : 0);
    rbuf r;
    if (ml_request(&w, &r) != 0) { errno = (type == SOCK_STREAM) ? ECONNREFUSED : EIO; return -1; }
    int rc = -2;
    switch (rb_u8(&r)) {
    case RP_LOCAL: break;
    case RP_ERRNO: errno = (int)rb_u32(&r); rc = -1; break;
    case RP_REDIRECT:
        memset(e, 0, sizeof *e);
        e->kind = FD_SOCK;
        if (get_addr(&r, family, &e->intercept, &e->intercept_len) != 0) { errno = EAFNOSUPPORT; rc = -1; break; }
        memcpy(&e->remote, addr, len < sizeof e->remote ? len : sizeof e->remote);
        e->remote_len = len;
        ml_fd_set(fd, e);
        rc = 0;
        break;
    default: errno = EIO; rc = -1;
    }
    ml_reply_free(&r);
    return rc;
}

ML_EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t len) {
    if (!ml_enter(CFG_OUTGOING)) return REAL(connect)(fd, addr, len);
    ml_fdent e;
    int rc = route(fd, addr, len, &e);
    ml_leave();
    if (rc == -2) return REAL(connect)(fd, addr, len);
    if (rc == -1) return -1;
    return REAL(connect)(fd, (struct sockaddr *)&e.intercept, e.intercept_len);
}

ML_EXPORT int getpeername(int fd, struct sockaddr *addr, socklen_t *len) {
    ml_fdent e;
    if (ml_fd_any() && ml_fd_get(fd, &e) == FD_SOCK && addr && len) {
        int rc = REAL(getpeername)(fd, addr, len); /* keeps ENOTCONN semantics */
        if (rc != 0) return rc;
        socklen_t n = *len < e.remote_len ? *len : e.remote_len;
        memcpy(addr, &e.remote, n);
        *len = e.remote_len;
        return 0;
    }
    return REAL(getpeername)(fd, addr, len);
}

/*
 * A redirected stream's local address is its pod-side one (asked once, when first wanted: the pod
 * side may still be connecting after a non-blocking connect, and then this waits for it).
 */
ML_EXPORT int getsockname(int fd, struct sockaddr *addr, socklen_t *len) {
    ml_fdent e;
    if (addr && len && ml_fd_any() && ml_fd_get(fd, &e) != FD_NONE && (e.kind == FD_BOUND || e.kind == FD_LISTEN)
            && e.local_len > 0) {
        /* listen_ports: the program sees the port it asked for, not the one really bound */
        int rc = REAL(getsockname)(fd, addr, len);
        if (rc == 0) set_port(addr, *len, port_of((struct sockaddr *)&e.local));
        return rc;
    }
    if (!addr || !len || !ml_fd_any() || ml_fd_get(fd, &e) != FD_SOCK || e.remote.ss_family == AF_UNIX)
        return REAL(getsockname)(fd, addr, len);
    int family, type;
    if (sock_info(fd, &family, &type) != 0 || (type & 0xf) != SOCK_STREAM) return REAL(getsockname)(fd, addr, len);
    if (e.local_len == 0 && ml_enter(CFG_OUTGOING)) {
        int saved = errno;
        wbuf w; wb_init(&w, OP_CONNINFO);
        put_addr(&w, (struct sockaddr *)&e.intercept, e.intercept_len);
        rbuf r;
        if (ml_request(&w, &r) == 0) {
            if (rb_u8(&r) == RP_ADDRESS && get_addr(&r, family, &e.local, &e.local_len) == 0) {
                ml_fdent cur; /* keep the cache only if the fd still holds this connection */
                if (ml_fd_get(fd, &cur) == FD_SOCK && cur.intercept_len == e.intercept_len
                        && !memcmp(&cur.intercept, &e.intercept, e.intercept_len)) ml_fd_set(fd, &e);
            } else {
                e.local_len = 0;
            }
            ml_reply_free(&r);
        }
        errno = saved;
        ml_leave();
    }
    if (e.local_len == 0) return REAL(getsockname)(fd, addr, len);
    socklen_t n = *len < e.local_len ? *len : e.local_len;
    memcpy(addr, &e.local, n);
    *len = e.local_len;
    return 0;
}

/* Unconnected datagram to a remote destination: send it to that destination's interceptor. */
ML_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr, socklen_t len) {
    if (!addr || !ml_enter(CFG_OUTGOING)) return REAL(sendto)(fd, buf, n, flags, addr, len);
    ml_fdent e;
    int rc = route(fd, addr, len, &e);
    ml_leave();
    if (rc == -2) return REAL(sendto)(fd, buf, n, flags, addr, len);
    if (rc == -1) return -1;
    return REAL(sendto)(fd, buf, n, flags, (struct sockaddr *)&e.intercept, e.intercept_len);
}

ML_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
    if (!msg || !msg->msg_name || !ml_enter(CFG_OUTGOING)) return REAL(sendmsg)(fd, msg, flags);
    ml_fdent e;
    int rc = route(fd, msg->msg_name, msg->msg_namelen, &e);
    ml_leave();
    if (rc == -2) return REAL(sendmsg)(fd, msg, flags);
    if (rc == -1) return -1;
    struct msghdr copy = *msg;
    copy.msg_name = &e.intercept;
    copy.msg_namelen = e.intercept_len;
    return REAL(sendmsg)(fd, &copy, flags);
}

/* A datagram that came from our interceptor is shown as coming from the remote peer. */
static void rewrite_source(int fd, struct sockaddr *addr, socklen_t *len) {
    ml_fdent e;
    if (!addr || !len || !ml_fd_any() || ml_fd_get(fd, &e) != FD_SOCK) return;
    if (*len != e.intercept_len || memcmp(addr, &e.intercept, e.intercept_len) != 0) return;
    memcpy(addr, &e.remote, e.remote_len);
    *len = e.remote_len;
}

ML_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *addr, socklen_t *len) {
    socklen_t cap = len ? *len : 0;
    struct sockaddr_storage tmp; socklen_t tl = sizeof tmp;
    ssize_t got = REAL(recvfrom)(fd, buf, n, flags, addr ? (struct sockaddr *)&tmp : NULL, addr ? &tl : NULL);
    if (got >= 0 && addr && len) {
        rewrite_source(fd, (struct sockaddr *)&tmp, &tl);
        memcpy(addr, &tmp, tl < cap ? tl : cap);
        *len = tl;
    }
    return got;
}

ML_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags) {
    ssize_t got = REAL(recvmsg)(fd, msg, flags);
    if (got >= 0 && msg && msg->msg_name && msg->msg_namelen <= sizeof(struct sockaddr_storage)) {
        struct sockaddr_storage tmp; socklen_t tl = msg->msg_namelen;
        memcpy(&tmp, msg->msg_name, tl);
        rewrite_source(fd, (struct sockaddr *)&tmp, &tl);
        if (tl <= sizeof(struct sockaddr_in6) || tl <= msg->msg_namelen) {
            memcpy(msg->msg_name, &tmp, tl);
            msg->msg_namelen = tl;
        }
    }
    return got;
}

/* A real local listener; the proxy learns its address so incoming traffic can be delivered to it. */
ML_EXPORT int listen(int fd, int backlog) {
    int rc = REAL(listen)(fd, backlog);
    if (rc != 0 || !ml_enter(CFG_LISTEN)) return rc;
    struct sockaddr_storage ss; socklen_t sl = sizeof ss;
    if (REAL(getsockname)(fd, (struct sockaddr *)&ss, &sl) == 0) {
        ml_fdent prev;
        int had = ml_fd_get(fd, &prev);
        int bound_elsewhere = (had == FD_BOUND || had == FD_LISTEN) && prev.local_len > 0;
        wbuf w; wb_init(&w, OP_LISTEN);
        if (put_addr(&w, (struct sockaddr *)&ss, sl)) {
            /* the port the program asked for: the subscription is planned on it (listen_ports) */
            wb_u32(&w, (uint32_t)(bound_elsewhere ? port_of((struct sockaddr *)&prev.local)
                                                  : port_of((struct sockaddr *)&ss)));
            rbuf r;
            int saved = errno;
            if (ml_request(&w, &r) == 0) ml_reply_free(&r);
            errno = saved;
            /* incoming: remember the listener so its last close can unsubscribe (op 12) */
            ml_fdent e; memset(&e, 0, sizeof e);
            e.kind = FD_LISTEN; memcpy(&e.remote, &ss, sl); e.remote_len = sl;
            if (bound_elsewhere) { e.local = prev.local; e.local_len = prev.local_len; }
            ml_fd_set(fd, &e);
        } else {
            ml_free(w.p);
        }
    }
    ml_leave();
    return rc;
}

/* Remembers the requested address of a socket whose real bind moved to another port. */
static void remember_requested(int fd, const struct sockaddr *addr, socklen_t len) {
    ml_fdent e; memset(&e, 0, sizeof e);
    e.kind = FD_BOUND;
    e.local_len = len < sizeof e.local ? len : sizeof e.local;
    memcpy(&e.local, addr, e.local_len);
    ml_fd_set(fd, &e);
}

/*
 * The requested port is busy locally (the developer runs the service too): when the proxy says the
 * port will be subscribed, bind a random local port instead, as the reference does; the remote port
 * stays the requested one. Returns the bind result, errno EADDRINUSE when the proxy says no.
 */
static int bind_busy_fallback(int fd, const struct sockaddr *addr, socklen_t len) {
    wbuf w; wb_init(&w, OP_BINDBUSY);
    if (!put_addr(&w, addr, len)) { ml_free(w.p); errno = EADDRINUSE; return -1; }
    rbuf r;
    if (ml_request(&w, &r) != 0) { errno = EADDRINUSE; return -1; }
    int ok = rb_u8(&r) == RP_OK;
    ml_reply_free(&r);
    if (!ok) { errno = EADDRINUSE; return -1; }
    struct sockaddr_storage any;
    memcpy(&any, addr, len < sizeof any ? len : sizeof any);
    set_port((struct sockaddr *)&any, len, 0);
    int rc = REAL(bind)(fd, (struct sockaddr *)&any, len);
    if (rc == 0) remember_requested(fd, addr, len);
    return rc;
}

/*
 * feature.network.incoming.listen_ports: a requested port P mapped to a local port L is really bound
 * on L (a failure is the program's failure); the socket remembers P so getsockname shows it and
 * listen() subscribes the remote port for P. An unmapped port that is busy locally may move to a
 * random port (bind_busy_fallback).
 */
ML_EXPORT int bind(int fd, const struct sockaddr *addr, socklen_t len) {
    if (!addr || (addr->sa_family != AF_INET && addr->sa_family != AF_INET6)) return REAL(bind)(fd, addr, len);
    int requested = (addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in))
            || (addr->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) ? port_of(addr) : 0;
    if (requested == 0 || !ml_enter(CFG_LISTEN)) return REAL(bind)(fd, addr, len);
    int local = ml_cfg_listen_port(requested);
    int type = 0; socklen_t tl = sizeof type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0 || (type & 0xf) != SOCK_STREAM) {
        ml_leave();
        return REAL(bind)(fd, addr, len);
    }
    if (local == 0) {
        int rc = REAL(bind)(fd, addr, len);
        if (rc != 0 && errno == EADDRINUSE) rc = bind_busy_fallback(fd, addr, len);
        ml_leave();
        return rc;
    }
    struct sockaddr_storage real;
    memcpy(&real, addr, len < sizeof real ? len : sizeof real);
    set_port((struct sockaddr *)&real, len, local);
    int rc = REAL(bind)(fd, (struct sockaddr *)&real, len);
    if (rc == 0) remember_requested(fd, addr, len);
    ml_leave();
    return rc;
}

/* incoming: the last descriptor of a reported listener closed; the proxy releases its port. */
void ml_listener_closed(const ml_fdent *e) {
    if (ml_in_layer || !ml_enter(CFG_LISTEN)) return;
    int saved = errno;
    wbuf w; wb_init(&w, OP_UNLISTEN);
    if (put_addr(&w, (const struct sockaddr *)&e->remote, e->remote_len)) {
        rbuf r;
        if (ml_request(&w, &r) == 0) ml_reply_free(&r);
    } else {
        ml_free(w.p);
    }
    errno = saved;
    ml_leave();
}
