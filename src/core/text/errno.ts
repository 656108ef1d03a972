/** The errno values the hot(un)plug paths return (include/uapi/asm-generic/errno-base.h, errno.h), negated as the kernel returns them. */
export const EIO = -5;
export const EAGAIN = -11;
export const ENOMEM = -12;
export const EBUSY = -16;
export const EINVAL = -22;
export const ETXTBSY = -26;
export const ENOSPC = -28;

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
