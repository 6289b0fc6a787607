#define _GNU_SOURCE
#include "CFileClone.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/fs.h>
#endif

int fixpoint_clone_file(int destination, int source) {
#ifdef FICLONE
    return ioctl(destination, FICLONE, source);
#else
    errno = EOPNOTSUPP;
    return -1;
#endif
}

ssize_t fixpoint_copy_file_range(int source, int destination, size_t length) {
#ifdef __linux__
    return copy_file_range(source, NULL, destination, NULL, length, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}
