package server

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
)

// clusterDir picks where the embedded PostgreSQL keeps its cluster for a
// data directory. Normally that is <data-dir>/pg. PostgreSQL refuses to run
// as root, so as root it runs as the postgres user, which must be able to
// enter every directory above the cluster; when it cannot (a data directory
// under /root, say), the cluster goes to /var/lib/zoneledger/<hash of the
// data directory> instead, and the data directory gets a note saying where.
func clusterDir(dataDir string) string {
	dir := filepath.Join(dataDir, "pg")
	if os.Geteuid() != 0 || othersCanEnter(dataDir) {
		return dir
	}
	sum := sha256.Sum256([]byte(dataDir))
	alt := filepath.Join("/var/lib/zoneledger", "pg-"+hex.EncodeToString(sum[:8]))
	_ = os.MkdirAll(dataDir, 0o755)
	_ = os.WriteFile(filepath.Join(dataDir, "pg.location"), []byte(alt+"\n"), 0o644)
	return alt
}

// othersCanEnter reports whether every existing directory from dir up to the
// root is searchable by any user.
func othersCanEnter(dir string) bool {
	for d := dir; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		if parent := filepath.Dir(d); parent == d {
			return true
		}
	}
}
