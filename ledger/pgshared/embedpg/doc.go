// Package embedpg runs a private PostgreSQL server from the PostgreSQL
// binaries installed on the machine: zoneledger's embedded default database
// and the database of its tests.
//
// Start initializes a cluster in Config.DataDir when there is none (initdb,
// UTF8, locale C, superuser "postgres"), then runs the postmaster as a child
// process, waits until it accepts connections and makes sure the database
// "zoneledger" exists. Stop shuts it down (fast shutdown, then SIGKILL after
// a timeout).
//
// # The way in
//
// The server listens on no TCP address (listen_addresses is empty). Its
// only way in is a unix socket in a directory that only the server's OS user
// can enter (mode 0700): the data directory itself, or a private temporary
// directory when the data directory's path is too long for a socket.
// pg_hba.conf, rewritten at every start, trusts that socket and rejects
// everything else. So the process that started the server (the same OS user,
// or root, which may enter any directory) connects without a password, and
// no other local user can reach the server at all. URL gives the way in as a
// URL that pgx and libpq (psql, pgbench) read:
// postgres://postgres@/zoneledger?host=<socket dir>&port=5432&sslmode=disable.
//
// # When the server dies
//
// Done is closed when the postmaster exits without Stop (a crash, or kill
// -KILL); Restart then starts it again on the same socket, after
// PostgreSQL's own crash recovery, so pools made from URL reconnect.
//
// Nothing is downloaded: FindBinaries looks for initdb and postgres on PATH
// and in Debian's versioned directories /usr/lib/postgresql/<N>/bin.
//
// # Running as root
//
// PostgreSQL refuses to run as root. When the calling process is root,
// initdb and postgres run as the "postgres" system user (through a process
// credential, not sudo), and the data directory is owned by that user. Every
// directory above the data directory must then be searchable by that user:
// a data directory under /root or under a 0700 temporary directory is not.
//
// # Process lifetime
//
// The postmaster runs in its own process group, so a Ctrl-C at the terminal
// reaches only our process, which then stops the server in order. If our
// process dies without calling Stop (even by SIGKILL), the kernel sends the
// postmaster SIGINT (Linux parent-death signal), which is PostgreSQL's fast
// shutdown: open transactions are rolled back, committed ones are already in
// the write-ahead log, and a shutdown checkpoint is written. SIGINT is
// preferred over SIGKILL there because a SIGKILLed postmaster leaves its
// backends running until they notice, and the next start must then run crash
// recovery and may find the old shared memory still in use. A later Start on
// the same data directory waits for such a server to finish shutting down.
//
// Durability: fsync, synchronous_commit and full_page_writes keep
// PostgreSQL's safe defaults, so an acknowledged commit survives a crash of
// the server or of our process.
package embedpg
