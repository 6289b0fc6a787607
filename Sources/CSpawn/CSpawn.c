#define _GNU_SOURCE
#include "CSpawn.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int fp_rlimit_resource(int kind) {
    switch (kind) {
    case FP_LIMIT_CPU_SECONDS: return RLIMIT_CPU;
    case FP_LIMIT_ADDRESS_SPACE: return RLIMIT_AS;
    case FP_LIMIT_FILE_SIZE: return RLIMIT_FSIZE;
    case FP_LIMIT_PROCESSES: return RLIMIT_NPROC;
    case FP_LIMIT_CORE_SIZE: return RLIMIT_CORE;
    default: return -1;
    }
}

pid_t fp_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
               int stdin_fd, int stdout_fd, int stderr_fd, int new_group, int death_signal) {
    return fp_spawn_confined(path, argv, envp, cwd, stdin_fd, stdout_fd, stderr_fd, new_group, death_signal,
                             NULL, NULL, 0, NULL);
}

pid_t fp_spawn_confined(const char *path, char *const argv[], char *const envp[], const char *cwd,
                        int stdin_fd, int stdout_fd, int stderr_fd, int new_group, int death_signal,
                        const int *limit_kinds, const unsigned long long *limit_values, int limit_count,
                        const char *cgroup_procs) {
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
        /* Join the cgroup first, so everything the child starts is counted against its limits. */
        if (cgroup_procs) {
            int cg = open(cgroup_procs, O_WRONLY | O_CLOEXEC);
            if (cg < 0 || write(cg, "0", 1) != 1) goto fail;
            close(cg);
        }
        for (int i = 0; i < limit_count; i++) {
            int resource = fp_rlimit_resource(limit_kinds[i]);
            if (resource < 0) { errno = EINVAL; goto fail; }
            struct rlimit rl = { (rlim_t)limit_values[i], (rlim_t)limit_values[i] };
            /* CPU: SIGXCPU at the soft limit says why; SIGKILL follows if it is ignored. */
            if (resource == RLIMIT_CPU) rl.rlim_max = rl.rlim_cur + 2;
            if (setrlimit(resource, &rl) != 0) goto fail;
        }
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
