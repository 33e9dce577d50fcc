package org.pvhconf.xen.abi;

/** Xen errno values (§2.4). Handlers return {@code -Errno.X}. */
public final class Errno {
    private Errno() {
    }

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
            ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, EWOULDBLOCK = 11, ENOMEM = 12, EACCES = 13,
            EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, EINVAL = 22, ENFILE = 23,
            EMFILE = 24, ENOSPC = 28, EROFS = 30, EMLINK = 31, EDOM = 33, ERANGE = 34, EDEADLK = 35,
            ENAMETOOLONG = 36, ENOLCK = 37, ENOSYS = 38, ENOTEMPTY = 39, ENODATA = 61, ETIME = 62,
            EBADMSG = 74, EOVERFLOW = 75, EILSEQ = 84, ERESTART = 85, ENOTSOCK = 88, EMSGSIZE = 90,
            EOPNOTSUPP = 95, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENOBUFS = 105, EISCONN = 106,
            ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111;

    private static final String[] NAMES = new String[112];

    static {
        String[][] pairs = {{"1", "EPERM"}, {"2", "ENOENT"}, {"3", "ESRCH"}, {"4", "EINTR"}, {"5", "EIO"},
            {"6", "ENXIO"}, {"7", "E2BIG"}, {"8", "ENOEXEC"}, {"9", "EBADF"}, {"10", "ECHILD"},
            {"11", "EAGAIN"}, {"12", "ENOMEM"}, {"13", "EACCES"}, {"14", "EFAULT"}, {"16", "EBUSY"},
            {"17", "EEXIST"}, {"18", "EXDEV"}, {"19", "ENODEV"}, {"22", "EINVAL"}, {"23", "ENFILE"},
            {"24", "EMFILE"}, {"28", "ENOSPC"}, {"30", "EROFS"}, {"31", "EMLINK"}, {"33", "EDOM"},
            {"34", "ERANGE"}, {"35", "EDEADLK"}, {"36", "ENAMETOOLONG"}, {"37", "ENOLCK"}, {"38", "ENOSYS"},
            {"39", "ENOTEMPTY"}, {"61", "ENODATA"}, {"62", "ETIME"}, {"74", "EBADMSG"}, {"75", "EOVERFLOW"},
            {"84", "EILSEQ"}, {"85", "ERESTART"}, {"88", "ENOTSOCK"}, {"90", "EMSGSIZE"},
            {"95", "EOPNOTSUPP"}, {"98", "EADDRINUSE"}, {"99", "EADDRNOTAVAIL"}, {"105", "ENOBUFS"},
            {"106", "EISCONN"}, {"107", "ENOTCONN"}, {"110", "ETIMEDOUT"}, {"111", "ECONNREFUSED"}};
        for (String[] p : pairs) {
            NAMES[Integer.parseInt(p[0])] = p[1];
        }
    }

    /** "ENOSYS" for 38, or null when the value is not an errno of §2.4. */
    public static String name(int errno) {
        return errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
    }
}
