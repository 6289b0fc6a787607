#define _GNU_SOURCE
#include "CSpawn.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

pid_t fp_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
               int stdin_fd, int stdout_fd, int stderr_fd, int new_group, int death_signal) {
    int errpipe[2];
    if (pipe2(errpipe, O_CLOEXEC) != 0) return -1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) { int e = errno; close(errpipe[0]); close(errpipe[1]); errno = e; return -1; }
    if (pid == 0) {
        if (new_group) setpgid(0, 0);
        if (death_signal) {
            prctl(PR_SET_PDEATHSIG, death_signal);
            if (getppid() != parent) _exit(127); /* parent already gone */
        }
        /* Default signal dispositions and an empty mask for the child. */
        sigset_t none; sigemptyset(&none); sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        if (stdin_fd >= 0 && dup2(stdin_fd, 0) < 0) goto fail;
        if (stdout_fd >= 0 && dup2(stdout_fd, 1) < 0) goto fail;
        if (stderr_fd >= 0 && dup2(stderr_fd, 2) < 0) goto fail;
        /* Close every other inherited descriptor. */
        for (int fd = 3; fd < 1024; fd++) if (fd != errpipe[1]) close(fd);
        if (cwd && chdir(cwd) != 0) goto fail;
        if (strchr(path, '/')) execve(path, argv, envp ? envp : environ);
        else {
            if (envp) environ = (char **)envp;
            execvp(path, argv);
        }
    fail:;
        int e = errno;
        ssize_t unused = write(errpipe[1], &e, sizeof e); (void)unused;
        _exit(127);
    }
    close(errpipe[1]);
    if (new_group) setpgid(pid, pid); /* also from the parent, to avoid the race */
    int child_errno = 0;
    ssize_t n;
    do { n = read(errpipe[0], &child_errno, sizeof child_errno); } while (n < 0 && errno == EINTR);
    close(errpipe[0]);
    if (n == (ssize_t)sizeof child_errno) {
        int status; while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        errno = child_errno;
        return -1;
    }
    return pid;
}

int fp_kill_group(pid_t pgid, int sig) { return kill(-pgid, sig); }
int fp_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
