package conn

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func files(m map[string]string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		if s, ok := m[p]; ok {
			return []byte(s), nil
		}
		return nil, fs.ErrNotExist
	}
}

func TestResolveTokenPrecedence(t *testing.T) {
	fsys := files(map[string]string{"/flag": "  from-flag-file\n", "/env": "from-env-file\n"})
	all := env(map[string]string{EnvToken: "from-env", EnvTokenFile: "/env"})
	cases := []struct {
		flag, file string
		env        func(string) string
		want       Secret
	}{
		{"from-flag", "", all, "from-flag"},
		{"", "/flag", all, "from-flag-file"},
		{"", "", all, "from-env"},
		{"", "", env(map[string]string{EnvTokenFile: "/env"}), "from-env-file"},
		{"Bearer abc", "", all, "abc"},
	}
	for _, c := range cases {
		got, err := ResolveToken(c.flag, c.file, c.env, fsys)
		if err != nil || got != c.want {
			t.Errorf("ResolveToken(%q, %q) = %q, %v; want %q", c.flag, c.file, string(got), err, string(c.want))
		}
	}
}

func TestResolveTokenErrorsNeverShowTheToken(t *testing.T) {
	fsys := files(map[string]string{"/two": "secret-one secret-two\n", "/empty": " \n"})
	none := env(nil)
	for _, c := range []struct{ flag, file string }{{"x", "/two"}, {"", "/two"}, {"", "/empty"}, {"", "/missing"}, {"", ""}} {
		_, err := ResolveToken(c.flag, c.file, none, fsys)
		if err == nil {
			t.Errorf("(%q, %q): no error", c.flag, c.file)
			continue
		}
		if strings.Contains(err.Error(), "secret-") {
			t.Errorf("error shows the token: %v", err)
		}
	}
	if _, err := ResolveToken("", "/missing", none, fsys); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	cfg := Config{Addr: "h:1", Token: "zl_topsecret"}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg.Token)} {
		if strings.Contains(s, "topsecret") {
			t.Errorf("printed the token: %s", s)
		}
	}
}

func TestBearerMetadata(t *testing.T) {
	md, err := bearer{token: "abc"}.GetRequestMetadata(t.Context())
	if err != nil || md["authorization"] != "Bearer abc" {
		t.Errorf("metadata %v, %v", md, err)
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:7420": true, "localhost:1": true, "[::1]:7420": true,
		"10.0.0.5:7420": false, "ledger.example.com:443": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v", addr, got)
		}
	}
}

func TestTLSOptions(t *testing.T) {
	if tc, err := (Config{}).TLSConfig(); tc != nil || err != nil {
		t.Errorf("plaintext: %v %v", tc, err)
	}
	if tc, err := (Config{TLS: true}).TLSConfig(); tc == nil || err != nil {
		t.Errorf("tls: %v %v", tc, err)
	}
	if _, err := (Config{CertFile: "c.pem"}).TLSConfig(); err == nil {
		t.Error("--cert-file without --key-file accepted")
	}
	if _, err := (Config{CAFile: "/nonexistent/ca.pem"}).TLSConfig(); err == nil {
		t.Error("missing CA file accepted")
	}
	if _, err := (Config{Addr: "h:1"}).DialOptions(); err == nil {
		t.Error("dial options without a token")
	}
}
