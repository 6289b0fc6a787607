#ifndef CFILECLONE_H
#define CFILECLONE_H

#include <stddef.h>
#include <sys/types.h>

/// Makes `destination` share `source`'s data blocks (FICLONE: a reflink on btrfs, XFS, bcachefs,
/// OCFS2...). Returns 0, or -1 with errno set (EOPNOTSUPP, EXDEV or EINVAL where the file system
/// cannot: ext4, tmpfs, overlayfs over those). `ioctl` is variadic, so Swift cannot call it itself.
int fixpoint_clone_file(int destination, int source);

/// copy_file_range(2) from the current offsets: the kernel copies (and may share) the bytes without
/// passing them through user space. Returns the bytes copied, 0 at end of file, or -1 with errno set.
ssize_t fixpoint_copy_file_range(int source, int destination, size_t length);

#endif
