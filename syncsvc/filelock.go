package syncsvc

import "errors"

// errLocked is what lockFile returns when another open file holds the
// lock; Lock turns it into ErrInUse.
var errLocked = errors.New("the lock is held elsewhere")

// sqliteDMSByte is the byte of a WAL database's -shm file on which every
// connection holds a shared lock for as long as it is open: SQLite's "dead
// man switch", byte 128 in both its unix VFS (UNIX_SHM_DMS) and its
// Windows VFS (WIN_SHM_DMS).
const sqliteDMSByte = 128
