/* Big-endian request/reply encoding shared by every hook (format in layer-bridge/README.md). */
#include "layer.h"
#include <string.h>

static void wb_grow(wbuf *w, size_t need) {
    if (w->oom || w->len + need <= w->cap) return;
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->len + need) cap *= 2;
    uint8_t *p = ml_realloc(w->p, cap);
    if (!p) { w->oom = 1; return; }
    w->p = p;
    w->cap = cap;
}

void wb_init(wbuf *w, uint8_t op) {
    w->p = NULL; w->len = 0; w->cap = 0; w->oom = 0;
    wb_u32(w, 0); /* frame length, patched by ml_request */
    wb_u8(w, op);
}

void wb_u8(wbuf *w, uint8_t v) {
    wb_grow(w, 1);
    if (!w->oom) w->p[w->len++] = v;
}

void wb_u32(wbuf *w, uint32_t v) {
    wb_grow(w, 4);
    if (w->oom) return;
    for (int i = 3; i >= 0; i--) w->p[w->len++] = (uint8_t)(v >> (i * 8));
}

void wb_u64(wbuf *w, uint64_t v) {
    wb_u32(w, (uint32_t)(v >> 32));
    wb_u32(w, (uint32_t)v);
}

void wb_bytes(wbuf *w, const void *b, size_t n) {
    wb_u32(w, (uint32_t)n);
    wb_grow(w, n);
    if (w->oom || n == 0) return;
    memcpy(w->p + w->len, b, n);
    w->len += n;
}

void wb_str(wbuf *w, const char *s) {
    wb_bytes(w, s ? s : "", s ? strlen(s) : 0);
}

uint8_t rb_u8(rbuf *r) {
    if (r->bad || r->pos + 1 > r->len) { r->bad = 1; return 0; }
    return r->p[r->pos++];
}

uint32_t rb_u32(rbuf *r) {
    if (r->bad || r->pos + 4 > r->len) { r->bad = 1; return 0; }
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = (v << 8) | r->p[r->pos++];
    return v;
}

uint64_t rb_u64(rbuf *r) {
    uint64_t hi = rb_u32(r);
    return (hi << 32) | rb_u32(r);
}

const uint8_t *rb_bytes(rbuf *r, size_t *n) {
    uint32_t len = rb_u32(r);
    if (r->bad || r->pos + len > r->len) { r->bad = 1; *n = 0; return NULL; }
    const uint8_t *p = r->p + r->pos;
    r->pos += len;
    *n = len;
    return p;
}

long rb_str(rbuf *r, char *dst, size_t cap) {
    size_t n;
    const uint8_t *p = rb_bytes(r, &n);
    if (!p || cap == 0) { if (cap) dst[0] = 0; return -1; }
    if (n >= cap) n = cap - 1;
    memcpy(dst, p, n);
    dst[n] = 0;
    return (long)n;
}
