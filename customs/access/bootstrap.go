package access

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"
)

// BootstrapPrincipalID is the ID of the admin principal Bootstrap creates.
const BootstrapPrincipalID = "admin"

// Bootstrap makes sure the zone can be administered, and is safe to call at
// every server start (after Migrate):
//
//   - When no enabled admin principal exists, it creates the admin principal
//     BootstrapPrincipalID, issues it a token and writes the token to
//     tokenFile.
//   - When an admin exists and tokenFile exists, it does nothing.
//   - When an admin exists but tokenFile is missing (deleted, or lost with
//     an old data directory), it issues a new token for BootstrapPrincipalID,
//     if that is still an enabled admin, and writes it to tokenFile;
//     otherwise (the operators have retired it) it does nothing.
//
// The file holds the token and a newline, and is written with mode 0600
// (atomically, through a temporary file in the same directory); its
// directory is created with mode 0700 when missing. created reports whether
// a token file was written.
func (s *Store) Bootstrap(ctx context.Context, tokenFile string) (created bool, err error) {
	if tokenFile == "" {
		return false, errors.New("bootstrap: no token file given; name the file the first admin token is to be written to")
	}
	_, statErr := os.Stat(tokenFile)
	fileExists := statErr == nil
	if statErr != nil && !errors.Is(statErr, fs.ErrNotExist) {
		return false, fmt.Errorf("bootstrap: checking the admin token file: %w", statErr)
	}

	var issued IssuedToken
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		issued = IssuedToken{}
		var admins bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM access_principals WHERE role = 'admin' AND disabled_at IS NULL)`).Scan(&admins); err != nil {
			return err
		}
		boot, err := getPrincipal(ctx, tx, BootstrapPrincipalID)
		found := err == nil
		if err != nil && !errors.Is(err, errNoPrincipal) {
			return err
		}
		switch {
		case !admins && found:
			return fmt.Errorf("bootstrap: there is no enabled admin, and principal %q exists with role %s (disabled: %t), so no first admin can be made; fix the access_principals table by hand",
				BootstrapPrincipalID, boot.Role, boot.Disabled)
		case !admins:
			boot = Principal{ID: BootstrapPrincipalID, DisplayName: "first administrator (bootstrap)", Role: RoleAdmin, CreatedAt: s.clock()}
			if err := insertPrincipal(ctx, tx, boot); err != nil {
				return err
			}
		case fileExists:
			return nil // administered, and the first token is where it was written
		case !found || boot.Role != RoleAdmin || boot.Disabled:
			return nil // the bootstrap admin is retired; other admins manage the zone
		}
		tok, hash := newToken()
		info := TokenInfo{ID: newTokenID(), PrincipalID: boot.ID, Description: "bootstrap token written to " + tokenFile, CreatedAt: s.clock()}
		if _, err := tx.Exec(ctx, `INSERT INTO access_tokens (id, principal_id, token_hash, description, created_at) VALUES ($1, $2, $3, $4, $5)`,
			info.ID, info.PrincipalID, hash[:], truncate(info.Description, MaxDescriptionLength), info.CreatedAt); err != nil {
			return err
		}
		issued = IssuedToken{Token: tok, Info: info, Principal: boot}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("bootstrap: %w", dbError(err))
	}
	if issued.Token == "" {
		return false, nil
	}
	if err := writeSecretFile(tokenFile, issued.Token+"\n"); err != nil {
		// Nobody can use the token now; do not leave it valid. The next
		// start finds the file missing and issues another.
		_, rerr := s.RevokeToken(context.WithoutCancel(ctx), issued.Info.ID)
		return false, errors.Join(fmt.Errorf("bootstrap: writing the admin token file: %w", err), rerr)
	}
	return true, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// writeSecretFile writes data to path with mode 0600, atomically, creating
// the directory with mode 0700 when missing.
func writeSecretFile(path, data string) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.WriteString(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil { // make the rename durable; best effort
		_ = d.Sync()
		d.Close()
	}
	return nil
}
