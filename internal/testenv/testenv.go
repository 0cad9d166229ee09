// Package testenv tells tests which outside services they may use. A test
// that needs PostgreSQL or Chromium skips with a message naming what is
// missing, except when VIGIE_REQUIRE_SERVICES=1 (as in CI), where the absence
// is a failure: in CI those tests must run for real.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// Required reports whether absent services are failures rather than skips.
func Required() bool { return os.Getenv("VIGIE_REQUIRE_SERVICES") == "1" }

func missing(t testing.TB, what string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s is required (VIGIE_REQUIRE_SERVICES=1) but absent", what)
	}
	t.Skipf("skipped: %s is absent", what)
}

// PostgresDSN returns the DSN of the test PostgreSQL server from
// VIGIE_TEST_POSTGRES, or skips the test.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("VIGIE_TEST_POSTGRES")
	if dsn == "" {
		missing(t, "PostgreSQL (set VIGIE_TEST_POSTGRES to a postgres:// DSN)")
	}
	return dsn
}

// Chromium returns the path of a Chromium binary (VIGIE_CHROMIUM, else
// /usr/bin/chromium, else chromium on PATH), or skips the test.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv("VIGIE_CHROMIUM"), "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	missing(t, "Chromium (apt-get install chromium, or set VIGIE_CHROMIUM)")
	return ""
}

// Python3 returns the path of python3, or skips the test.
func Python3(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("python3"); err == nil {
		return p
	}
	missing(t, "python3 (apt-get install python3)")
	return ""
}

// Tool returns the path of the command name, or skips the test naming the
// package that provides it.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	missing(t, name+" (apt-get install "+pkg+")")
	return ""
}
