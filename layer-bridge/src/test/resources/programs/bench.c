/* Micro-benchmark driver: bench <mode> <arg> <iterations>; prints the mean nanoseconds per op. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 4) return 2;
    const char *mode = argv[1], *arg = argv[2];
    int n = atoi(argv[3]);
    char buf[4096];
    long long t0 = now();
    for (int i = 0; i < n; i++) {
        if (!strcmp(mode, "read")) {
            int fd = open(arg, O_RDONLY);
            if (fd < 0) { perror(arg); return 1; }
            while (read(fd, buf, sizeof buf) > 0) {}
            close(fd);
        } else if (!strcmp(mode, "dns")) {
            struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res;
            int rc = getaddrinfo(arg, "80", &hints, &res);
            if (rc) { fprintf(stderr, "%s: %s\n", arg, gai_strerror(rc)); return 1; }
            freeaddrinfo(res);
        }
    }
    printf("%lld\n", (now() - t0) / (n ? n : 1));
    return 0;
}
