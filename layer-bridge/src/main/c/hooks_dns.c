/*
 * Name resolution. glibc's resolver is opaque (no socket hook fires inside it), so names are
 * intercepted at getaddrinfo/gethostbyname. Answers are built by the layer from the proxy's list of
 * addresses; freeaddrinfo recognises lists we built and frees them our way.
 */
#include "layer.h"
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

DEFINE_REAL(getaddrinfo); DEFINE_REAL(freeaddrinfo); DEFINE_REAL(gethostbyname); DEFINE_REAL(gethostname);

/* Heads of the addrinfo lists the layer allocated. */
#define MAX_OURS 1024
static struct addrinfo *ours[MAX_OURS];
static pthread_mutex_t ours_lock = PTHREAD_MUTEX_INITIALIZER;
void ml_dns_lock(void) { pthread_mutex_lock(&ours_lock); }
void ml_dns_unlock(void) { pthread_mutex_unlock(&ours_lock); }
void ml_dns_reinit(void) { pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER; ours_lock = fresh; }

static int remember(struct addrinfo *ai) {
    pthread_mutex_lock(&ours_lock);
    for (int i = 0; i < MAX_OURS; i++) if (!ours[i]) { ours[i] = ai; pthread_mutex_unlock(&ours_lock); return 1; }
    pthread_mutex_unlock(&ours_lock);
    return 0;
}

static int forget(struct addrinfo *ai) {
    int found = 0;
    pthread_mutex_lock(&ours_lock);
    for (int i = 0; i < MAX_OURS; i++) if (ours[i] == ai) { ours[i] = NULL; found = 1; break; }
    pthread_mutex_unlock(&ours_lock);
    return found;
}

static void free_ours(struct addrinfo *ai) {
    while (ai) {
        struct addrinfo *next = ai->ai_next;
        free(ai->ai_canonname);
        free(ai->ai_addr);
        free(ai);
        ai = next;
    }
}

ML_EXPORT void freeaddrinfo(struct addrinfo *ai) {
    if (ai && forget(ai)) free_ours(ai);
    else REAL(freeaddrinfo)(ai);
}

static int is_numeric_host(const char *node) {
    unsigned char buf[16];
    return inet_pton(AF_INET, node, buf) == 1 || inet_pton(AF_INET6, node, buf) == 1;
}

static int service_port(const char *service, int socktype, int *port) {
    *port = 0;
    if (!service) return 0;
    char *end;
    long v = strtol(service, &end, 10);
    if (*service && !*end && v >= 0 && v <= 65535) { *port = (int)v; return 0; }
    struct servent *se = getservbyname(service, socktype == SOCK_DGRAM ? "udp" : "tcp");
    if (!se) return EAI_SERVICE;
    *port = ntohs((uint16_t)se->s_port);
    return 0;
}

static struct addrinfo *make_ai(int fam, const uint8_t *ip, int port, int socktype, int proto, int v4mapped) {
    struct addrinfo *ai = calloc(1, sizeof *ai);
    if (!ai) return NULL;
    if (fam == AF_INET && !v4mapped) {
        struct sockaddr_in *s = calloc(1, sizeof *s);
        if (!s) { free(ai); return NULL; }
        s->sin_family = AF_INET; s->sin_port = htons((uint16_t)port); memcpy(&s->sin_addr, ip, 4);
        ai->ai_addr = (struct sockaddr *)s; ai->ai_addrlen = sizeof *s; ai->ai_family = AF_INET;
    } else {
        struct sockaddr_in6 *s = calloc(1, sizeof *s);
        if (!s) { free(ai); return NULL; }
        s->sin6_family = AF_INET6; s->sin6_port = htons((uint16_t)port);
        if (fam == AF_INET) { s->sin6_addr.s6_addr[10] = 0xff; s->sin6_addr.s6_addr[11] = 0xff; memcpy(&s->sin6_addr.s6_addr[12], ip, 4); }
        else memcpy(&s->sin6_addr, ip, 16);
        ai->ai_addr = (struct sockaddr *)s; ai->ai_addrlen = sizeof *s; ai->ai_family = AF_INET6;
    }
    ai->ai_socktype = socktype;
    ai->ai_protocol = proto;
    return ai;
}

/* Builds the addrinfo list from an RP_ADDRS reply; returns 0 or an EAI_* code. */
static int build_list(rbuf *r, const struct addrinfo *hints, int port, struct addrinfo **res) {
    char canon[1025];
    rb_str(r, canon, sizeof canon);
    uint32_t n = rb_u32(r);
    int want = hints ? hints->ai_family : AF_UNSPEC;
    int flags = hints ? hints->ai_flags : 0;
    int types[2] = { SOCK_STREAM, SOCK_DGRAM }, protos[2] = { IPPROTO_TCP, IPPROTO_UDP }, ntypes = 2;
    if (hints && hints->ai_socktype) { types[0] = hints->ai_socktype; protos[0] = hints->ai_protocol; ntypes = 1;
        if (!protos[0]) protos[0] = types[0] == SOCK_DGRAM ? IPPROTO_UDP : types[0] == SOCK_STREAM ? IPPROTO_TCP : 0; }
    struct addrinfo *head = NULL, **tail = &head;
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        uint8_t fam = rb_u8(r);
        size_t len; const uint8_t *ip = rb_bytes(r, &len);
        if (!ip) break;
        int af = fam == 4 && len == 4 ? AF_INET : fam == 6 && len == 16 ? AF_INET6 : -1;
        if (af < 0) continue;
        int mapped = 0;
        if (want == AF_INET && af != AF_INET) continue;
        if (want == AF_INET6 && af == AF_INET) { if (!(flags & AI_V4MAPPED)) continue; mapped = 1; }
        for (int t = 0; t < ntypes; t++) {
            struct addrinfo *ai = make_ai(af, ip, port, types[t], protos[t], mapped);
            if (!ai) { free_ours(head); return EAI_MEMORY; }
            *tail = ai; tail = &ai->ai_next;
        }
    }
    if (r->bad) { free_ours(head); return EAI_FAIL; }
    if (!head) return EAI_NONAME;
    if (flags & AI_CANONNAME) head->ai_canonname = strdup(canon);
    *res = head;
    return 0;
}

/* Returns -1000 when the real resolver should answer. */
static int remote_lookup(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res) {
    int port;
    int err = service_port(service, hints ? hints->ai_socktype : 0, &port);
    if (err) return err;
    wbuf w; wb_init(&w, OP_DNS);
    wb_str(&w, node); wb_str(&w, service);
    wb_u32(&w, (uint32_t)(hints ? hints->ai_family : 0)); wb_u32(&w, (uint32_t)(hints ? hints->ai_socktype : 0));
    wb_u32(&w, (uint32_t)(hints ? hints->ai_protocol : 0)); wb_u32(&w, (uint32_t)(hints ? hints->ai_flags : 0));
    rbuf r;
    if (ml_request(&w, &r) != 0) return EAI_FAIL;
    int rc;
    switch (rb_u8(&r)) {
    case RP_LOCAL: rc = -1000; break;
    case RP_EAI: rc = (int)rb_u32(&r); break;
    case RP_ADDRS:
        rc = build_list(&r, hints, port, res);
        if (rc == 0 && !remember(*res)) { free_ours(*res); *res = NULL; rc = EAI_MEMORY; }
        break;
    default: rc = EAI_FAIL;
    }
    ml_reply_free(&r);
    return rc;
}

ML_EXPORT int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res) {
    if (!node || (hints && (hints->ai_flags & AI_NUMERICHOST)) || is_numeric_host(node) || !ml_enter(CFG_DNS))
        return REAL(getaddrinfo)(node, service, hints, res);
    int saved = errno;
    int rc = remote_lookup(node, service, hints, res);
    ml_leave();
    errno = saved;
    return rc == -1000 ? REAL(getaddrinfo)(node, service, hints, res) : rc;
}

/* Legacy IPv4-only API (Erlang and old C code); answers live in thread-local storage. */
static __thread struct hostent he;
static __thread char he_name[1025];
static __thread struct in_addr he_addrs[16];
static __thread char *he_list[17];
static __thread char *he_alias[1];

ML_EXPORT struct hostent *gethostbyname(const char *name) {
    if (!name || is_numeric_host(name) || !ml_enter(CFG_DNS)) return REAL(gethostbyname)(name);
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res = NULL;
    int rc = remote_lookup(name, NULL, &hints, &res);
    ml_leave();
    if (rc == -1000) return REAL(gethostbyname)(name);
    if (rc != 0) { h_errno = rc == EAI_NONAME ? HOST_NOT_FOUND : NO_RECOVERY; return NULL; }
    int i = 0;
    for (struct addrinfo *ai = res; ai && i < 16; ai = ai->ai_next)
        he_addrs[i++] = ((struct sockaddr_in *)ai->ai_addr)->sin_addr;
    for (int k = 0; k < i; k++) he_list[k] = (char *)&he_addrs[k];
    he_list[i] = NULL;
    he_alias[0] = NULL;
    snprintf(he_name, sizeof he_name, "%s", name);
    he.h_name = he_name; he.h_aliases = he_alias; he.h_addrtype = AF_INET; he.h_length = 4; he.h_addr_list = he_list;
    freeaddrinfo(res);
    return &he;
}

/* Reentrant form (python's gethostbyname_ex): everything lives in the caller's buffer. */
DEFINE_REAL(gethostbyname_r);
ML_EXPORT int gethostbyname_r(const char *name, struct hostent *ret, char *buf, size_t buflen,
                              struct hostent **result, int *h_errnop) {
    if (!name || is_numeric_host(name) || !ml_enter(CFG_DNS))
        return REAL(gethostbyname_r)(name, ret, buf, buflen, result, h_errnop);
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res = NULL;
    int rc = remote_lookup(name, NULL, &hints, &res);
    ml_leave();
    if (rc == -1000) return REAL(gethostbyname_r)(name, ret, buf, buflen, result, h_errnop);
    *result = NULL;
    if (rc != 0) { if (h_errnop) *h_errnop = rc == EAI_NONAME ? HOST_NOT_FOUND : NO_RECOVERY; return rc == EAI_NONAME ? 0 : EIO; }
    size_t count = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) count++;
    size_t namelen = strlen(name) + 1;
    size_t need = (count + 1) * sizeof(char *) + sizeof(char *) + count * 4 + namelen + sizeof(char *);
    if (need > buflen) { freeaddrinfo(res); return ERANGE; }
    char **list = (char **)buf;
    char **aliases = list + count + 1;
    char *addrs = (char *)(aliases + 1);
    char *hname = addrs + count * 4;
    size_t i = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next, i++) {
        memcpy(addrs + i * 4, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
        list[i] = addrs + i * 4;
    }
    list[count] = NULL;
    aliases[0] = NULL;
    memcpy(hname, name, namelen);
    ret->h_name = hname; ret->h_aliases = aliases; ret->h_addrtype = AF_INET; ret->h_length = 4; ret->h_addr_list = list;
    *result = ret;
    freeaddrinfo(res);
    return 0;
}

ML_EXPORT int gethostname(char *name, size_t len) {
    if (!ml_enter(CFG_HOSTNAME)) return REAL(gethostname)(name, len);
    wbuf w; wb_init(&w, OP_HOSTNAME);
    rbuf r;
    int rc = -2;
    if (ml_request(&w, &r) == 0) {
        switch (rb_u8(&r)) {
        case RP_NAME: {
            size_t n; const uint8_t *s = rb_bytes(&r, &n);
            if (!s) { errno = EIO; rc = -1; break; }
            if (n + 1 > len) { errno = ENAMETOOLONG; rc = -1; break; }
            memcpy(name, s, n); name[n] = 0; rc = 0;
            break;
        }
        case RP_ERRNO: errno = (int)rb_u32(&r); rc = -1; break;
        default: break;
        }
        ml_reply_free(&r);
    }
    ml_leave();
    return rc == -2 ? REAL(gethostname)(name, len) : rc;
}
