/** The errno values the hot(un)plug paths return, by name (include/uapi/asm-generic/errno-base.h, errno.h). */
const ERRNO: Record<number, string> = {
  [-1]: 'EPERM',
  [-2]: 'ENOENT',
  [-5]: 'EIO',
  [-7]: 'E2BIG',
  [-11]: 'EAGAIN',
  [-12]: 'ENOMEM',
  [-13]: 'EACCES',
  [-14]: 'EFAULT',
  [-16]: 'EBUSY',
  [-17]: 'EEXIST',
  [-19]: 'ENODEV',
  [-22]: 'EINVAL',
  [-26]: 'ETXTBSY',
  [-28]: 'ENOSPC',
  [-34]: 'ERANGE',
  [-95]: 'EOPNOTSUPP',
};

/** `-16 (EBUSY)`; the number alone when it has no name here. */
export function errnoText(errno: number): string {
  const name = ERRNO[errno];
  return name ? `${errno} (${name})` : String(errno);
}
