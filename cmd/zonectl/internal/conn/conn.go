// Package conn dials the zoneledger server: address, optional TLS and mTLS,
// and the bearer token sent with every call. The token is kept in a Secret,
// which never prints.
package conn

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// DefaultAddr is where the server listens unless told otherwise.
const DefaultAddr = "127.0.0.1:7420"

// Environment variables zonectl reads when the matching flag is not given.
const (
	EnvAddr      = "ZONELEDGER_ADDR"
	EnvToken     = "ZONELEDGER_TOKEN"
	EnvTokenFile = "ZONELEDGER_TOKEN_FILE"
)

// Secret is a bearer token. It formats as "[redacted]" so that printing a
// Config (or an error that quotes one) never shows it.
type Secret string

// String implements fmt.Stringer without revealing the secret.
func (Secret) String() string { return "[redacted]" }

// GoString implements fmt.GoStringer without revealing the secret.
func (Secret) GoString() string { return `conn.Secret("[redacted]")` }

// Config is how to reach the server.
type Config struct {
	// Addr is host:port of the server.
	Addr string
	// Token is the bearer token sent as "authorization: Bearer <token>".
	Token Secret
	// TLS enables TLS; CAFile, CertFile and KeyFile imply it.
	TLS bool
	// CAFile verifies the server against this PEM CA bundle instead of the
	// system roots.
	CAFile string
	// CertFile and KeyFile are a PEM client certificate and key (mTLS).
	CertFile, KeyFile string
	// UserAgent is sent to the server.
	UserAgent string
}

// UsesTLS reports whether the connection is encrypted.
func (c Config) UsesTLS() bool {
	return c.TLS || c.CAFile != "" || c.CertFile != "" || c.KeyFile != ""
}

// ResolveToken picks the bearer token, first found wins: the --token flag,
// the --token-file flag, $ZONELEDGER_TOKEN, the file named by
// $ZONELEDGER_TOKEN_FILE. A token file is read and trimmed of surrounding
// white space. Errors never include the token.
func ResolveToken(flagToken, flagFile string, getenv func(string) string, readFile func(string) ([]byte, error)) (Secret, error) {
	if flagToken != "" && flagFile != "" {
		return "", errors.New("give either --token or --token-file, not both")
	}
	if readFile == nil {
		readFile = os.ReadFile
	}
	fromFile := func(path, what string) (Secret, error) {
		b, err := readFile(path)
		if err != nil {
			return "", fmt.Errorf("reading the token file (%s): %w", what, err)
		}
		return check(string(b), what)
	}
	switch {
	case flagToken != "":
		return check(flagToken, "--token")
	case flagFile != "":
		return fromFile(flagFile, "--token-file "+flagFile)
	case getenv(EnvToken) != "":
		return check(getenv(EnvToken), "$"+EnvToken)
	case getenv(EnvTokenFile) != "":
		return fromFile(getenv(EnvTokenFile), "$"+EnvTokenFile+"="+getenv(EnvTokenFile))
	}
	return "", errors.New("no token: give --token-file FILE (or set " + EnvTokenFile + " or " + EnvToken +
		"); an admin issues tokens with 'zonectl admin tokens issue'")
}

func check(raw, what string) (Secret, error) {
	t := strings.TrimSpace(raw)
	t = strings.TrimPrefix(t, "Bearer ")
	if t == "" {
		return "", fmt.Errorf("the token from %s is empty", what)
	}
	for _, r := range t {
		if r < 0x21 || r > 0x7e {
			return "", fmt.Errorf("the token from %s contains white space or control characters; a token file must hold only the token", what)
		}
	}
	return Secret(t), nil
}

// IsLoopback reports whether addr (host:port) names this machine.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// TLSConfig builds the client TLS configuration, or nil without TLS.
func (c Config) TLSConfig() (*tls.Config, error) {
	if !c.UsesTLS() {
		return nil, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("reading --ca-file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ca-file %s holds no PEM certificate", c.CAFile)
		}
		tc.RootCAs = pool
	}
	if (c.CertFile == "") != (c.KeyFile == "") {
		return nil, errors.New("--cert-file and --key-file go together (mTLS client certificate)")
	}
	if c.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("loading the client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// DialOptions returns the gRPC options for c: transport credentials and the
// per-call bearer token.
func (c Config) DialOptions() ([]grpc.DialOption, error) {
	if c.Addr == "" {
		return nil, errors.New("no server address: give --addr host:port")
	}
	if c.Token == "" {
		return nil, errors.New("no token")
	}
	tc, err := c.TLSConfig()
	if err != nil {
		return nil, err
	}
	creds := insecure.NewCredentials()
	if tc != nil {
		creds = credentials.NewTLS(tc)
	}
	opts := []grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithPerRPCCredentials(bearer{token: c.Token}),
	}
	if c.UserAgent != "" {
		opts = append(opts, grpc.WithUserAgent(c.UserAgent))
	}
	return opts, nil
}

// Dial creates a client connection. It does not connect yet: the first call
// does, and reports an unreachable server as UNAVAILABLE.
func Dial(c Config) (*grpc.ClientConn, error) {
	opts, err := c.DialOptions()
	if err != nil {
		return nil, err
	}
	return grpc.NewClient("passthrough:///"+c.Addr, opts...)
}

// bearer sends the token with every call.
type bearer struct{ token Secret }

// GetRequestMetadata implements credentials.PerRPCCredentials.
func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(b.token)}, nil
}

// RequireTransportSecurity implements credentials.PerRPCCredentials. TLS is
// optional (the server binds loopback by default); zonectl warns when a
// token goes to another host in the clear.
func (b bearer) RequireTransportSecurity() bool { return false }
