/* Probe run under the layer: prints key=value lines the test checks. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <errno.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    char buf[256] = "";
    FILE *f = fopen("/mirrord-remote/hello.txt", "r");
    if (f && fgets(buf, sizeof buf, f)) { buf[strcspn(buf, "\n")] = 0; printf("fopen=%s\n", buf); }
    if (f) fclose(f);

    int fd = open("/mirrord-remote/hello.txt", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    struct stat st;
    if (n > 0) { buf[n] = 0; buf[strcspn(buf, "\n")] = 0; fstat(fd, &st); printf("file=%s\nfsize=%ld\n", buf, (long)st.st_size); }
    if (fd >= 0) close(fd);
    if (stat("/mirrord-remote/hello.txt", &st) == 0) printf("size=%ld\n", (long)st.st_size);
    if (stat("/mirrord-remote/nope", &st) != 0) printf("missing=%s\n", strerror(errno));

    DIR *d = opendir("/mirrord-remote/dir");
    char *names[64]; int cnt = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) && cnt < 64) if (de->d_name[0] != '.') names[cnt++] = strdup(de->d_name);
    if (d) closedir(d);
    qsort(names, cnt, sizeof *names, cmp);
    printf("dir=");
    for (int i = 0; i < cnt; i++) printf("%s%s", i ? "," : "", names[i]);
    printf("\n");

    fd = open("/mirrord-remote/out-c.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) { if (write(fd, "written by c", 12) != 12) return 3; close(fd); }

    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res = NULL;
    int rc = getaddrinfo("echo.cluster.test", "7", &hints, &res);
    char ip[64] = "";
    if (rc == 0) { inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, ip, sizeof ip); printf("dns=%s\n", ip); }
    else printf("dns-error=%s\n", gai_strerror(rc));
    if (res) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(s, res->ai_addr, res->ai_addrlen) == 0) {
            send(s, "ping-tcp", 8, 0);
            n = recv(s, buf, sizeof buf - 1, 0);
            if (n > 0) { buf[n] = 0; printf("tcp=%s\n", buf); }
            struct sockaddr_in peer; socklen_t pl = sizeof peer;
            getpeername(s, (struct sockaddr *)&peer, &pl);
            inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
            printf("peer=%s:%d\n", ip, ntohs(peer.sin_port));
        } else perror("connect");
        close(s);
        int u = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in to = *(struct sockaddr_in *)res->ai_addr;
        sendto(u, "ping-udp", 8, 0, (struct sockaddr *)&to, sizeof to);
        struct sockaddr_in from; socklen_t fl = sizeof from;
        n = recvfrom(u, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &fl);
        if (n > 0) { buf[n] = 0; inet_ntop(AF_INET, &from.sin_addr, ip, sizeof ip); printf("udp=%s from %s:%d\n", buf, ip, ntohs(from.sin_port)); }
        close(u);
        freeaddrinfo(res);
    }
    if (getaddrinfo("missing.cluster.test", NULL, NULL, &res) != 0) printf("dns-missing=yes\n");

    char host[256];
    if (gethostname(host, sizeof host) == 0) printf("host=%s\n", host);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fd = open("/mirrord-remote/hello.txt", O_RDONLY);
        n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
        if (n > 0) { buf[n] = 0; buf[strcspn(buf, "\n")] = 0; printf("child=%s\n", buf); }
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return 0;
}
