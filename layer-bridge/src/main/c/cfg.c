/*
 * Process-wide configuration received in the proxy's HELLO reply: feature flags and the fast-path
 * lists of paths the proxy guarantees are local (so hot local paths cost no round trip). The proxy
 * computes these lists from the policy; the layer only matches them.
 */
#include "layer.h"
#include <stdlib.h>
#include <string.h>

#define MAX_RULES 128
#define RULE_LEN 256

static int loaded;
static uint32_t flags;
static int n_prefix, n_suffix;
static char prefixes[MAX_RULES][RULE_LEN];
static size_t prefix_len[MAX_RULES];
static char suffixes[MAX_RULES][RULE_LEN];
static size_t suffix_len[MAX_RULES];
/* feature.network.incoming.listen_ports: requested port -> local port actually bound */
#define MAX_LISTEN_PORTS 64
static int n_listen;
static uint16_t listen_req[MAX_LISTEN_PORTS], listen_local[MAX_LISTEN_PORTS];

int ml_cfg_loaded(void) { return __atomic_load_n(&loaded, __ATOMIC_ACQUIRE); }
uint32_t ml_cfg_flags(void) { return ml_cfg_loaded() ? flags : 0; }

void ml_cfg_set(rbuf *r) {
    static int setting;
    if (__atomic_exchange_n(&setting, 1, __ATOMIC_ACQ_REL)) return; /* another thread is doing it */
    flags = rb_u32(r);
    uint32_t np = rb_u32(r);
    for (uint32_t i = 0; i < np && !r->bad; i++) {
        char tmp[RULE_LEN];
        long n = rb_str(r, tmp, sizeof tmp);
        if (n < 0 || n_prefix >= MAX_RULES) continue;
        memcpy(prefixes[n_prefix], tmp, (size_t)n + 1);
        prefix_len[n_prefix++] = (size_t)n;
    }
    uint32_t ns = rb_u32(r);
    for (uint32_t i = 0; i < ns && !r->bad; i++) {
        char tmp[RULE_LEN];
        long n = rb_str(r, tmp, sizeof tmp);
        if (n < 0 || n_suffix >= MAX_RULES) continue;
        memcpy(suffixes[n_suffix], tmp, (size_t)n + 1);
        suffix_len[n_suffix++] = (size_t)n;
    }
    /* optional trailing list (u32 n + n x (u32 requested, u32 local)): listen_ports */
    if (!r->bad && r->pos < r->len) {
        uint32_t nl = rb_u32(r);
        for (uint32_t i = 0; i < nl && !r->bad; i++) {
            uint32_t req = rb_u32(r), loc = rb_u32(r);
            if (r->bad || n_listen >= MAX_LISTEN_PORTS || req == 0 || req > 65535 || loc > 65535) continue;
            listen_req[n_listen] = (uint16_t)req; listen_local[n_listen++] = (uint16_t)loc;
        }
    }
    if (r->bad) { flags = 0; n_prefix = n_suffix = n_listen = 0; }
    __atomic_store_n(&loaded, 1, __ATOMIC_RELEASE);
}

int ml_path_fast_local(const char *p) {
    if (!ml_cfg_loaded()) return 0;
    size_t len = strlen(p);
    for (int i = 0; i < n_prefix; i++) {
        size_t pl = prefix_len[i];
        if (len >= pl && memcmp(p, prefixes[i], pl) == 0 &&
            (len == pl || p[pl] == '/' || (pl > 0 && prefixes[i][pl - 1] == '/')))
            return 1;
    }
    for (int i = 0; i < n_suffix; i++) {
        size_t sl = suffix_len[i];
        if (len >= sl && strcasecmp(p + len - sl, suffixes[i]) == 0) return 1;
    }
    return 0;
}

int ml_cfg_listen_port(int requested) {
    if (!ml_cfg_loaded() || requested <= 0) return 0;
    for (int i = 0; i < n_listen; i++)
        if (listen_req[i] == requested) return listen_local[i];
    return 0;
}
