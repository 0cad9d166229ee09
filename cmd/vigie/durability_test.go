package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

// TestImportSurvivesSIGKILL builds the vigie binary, starts a bulk import
// as a child process and kills it with SIGKILL at several points inside
// the import transaction (after the first record, half-way, after the last
// record but before the commit), then after it finished. Each time the
// database reopens, passes PRAGMA integrity_check, and holds the import
// entirely or not at all.
func TestImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the durability test builds the binary and runs imports")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "vigie")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}

	// Many system files: the reference cases, renamed, with a longer
	// description, so that the transaction outgrows SQLite's page cache and
	// spills uncommitted pages to the WAL before the kill.
	const total = 600
	cases := stCases(t)
	var files []string
	for i := 0; i < total; i++ {
		b, err := os.ReadFile(cases[i%len(cases)])
		if err != nil {
			t.Fatal(err)
		}
		s, err := vigie.ParseSystem(cases[i%len(cases)], b)
		if err != nil {
			t.Fatal(err)
		}
		s.Name = fmt.Sprintf("%s — copie %04d", s.Name, i)
		s.Description = strings.Repeat(s.Description+" ", 3)
		out, err := stMarshalSystem(s, "yaml")
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("systeme-%04d.yaml", i))
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}

	for _, dialect := range []string{"sqlite", "postgres"} {
		for _, killAt := range []int{1, total / 2, total, -1} {
			label := fmt.Sprintf("%s: kill after record %d", dialect, killAt)
			if killAt < 0 {
				label = dialect + ": no kill"
			}
			t.Run(label, func(t *testing.T) { importKilled(t, bin, files, dialect, killAt) })
		}
	}
}

// importKilled runs vigie import of files on a fresh database of dialect,
// kills it with SIGKILL after the record killAt (never when negative), and
// checks that the import left everything or nothing, and that the
// database takes it again.
func importKilled(t *testing.T, bin string, files []string, dialect string, killAt int) {
	total := len(files)
	db := filepath.Join(t.TempDir(), "vigie.db")
	if dialect == "postgres" {
		db = stPostgresSchema(t)
	}
	stMust(t, "", "org", "create", "--db", db, "--name", "Section A")
	cmd := exec.Command(bin, append([]string{"import", "--db", db, "--org", "Section A", "--progress"}, files...)...)
	cmd.Env = append(os.Environ(), stImportPauseEnv+"=2ms")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	want := fmt.Sprintf("import %d/%d", killAt, total)
	killed := false
	for sc.Scan() {
		if killAt > 0 && sc.Text() == want {
			// The records so far are written inside the open
			// transaction; the process is sleeping in the hook.
			if fi, err := os.Stat(db + "-wal"); err == nil && dialect == "sqlite" {
				t.Logf("%s: WAL is %d bytes at the kill", want, fi.Size())
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
			break
		}
	}
	err = cmd.Wait()
	if killAt > 0 {
		if !killed {
			t.Fatalf("never saw %q (exit: %v)", want, err)
		}
		ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("the import was not killed: %v", err)
		}
	} else if err != nil {
		t.Fatalf("the import failed: %v", err)
	}

	// Integrity first, on the raw file, before vigie opens it.
	if dialect == "sqlite" {
		raw, err := sql.Open("sqlite", db)
		if err != nil {
			t.Fatal(err)
		}
		var check string
		if err := raw.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		if check != "ok" {
			t.Fatalf("integrity_check: %s", check)
		}
	}

	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	o, err := s.FindOrganisationByRef(ctx, "Section A")
	if err != nil {
		t.Fatal(err)
	}
	_, n, err := s.FindSystems(ctx, vigie.SystemFilter{OrgID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.FindEvents(ctx, o.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	imported := 0
	for _, e := range evs {
		if e.Kind == "system.imported" {
			imported++
		}
	}
	want0 := killAt > 0
	switch {
	case want0 && (n != 0 || imported != 0):
		t.Fatalf("killed at %d: %d systems and %d events survived; want none", killAt, n, imported)
	case !want0 && (n != total || imported != total):
		t.Fatalf("finished import: %d systems and %d events; want %d", n, imported, total)
	}
	// The database takes the same import again.
	if want0 {
		s.Close()
		stMust(t, "", append([]string{"import", "--db", db, "--org", "Section A"}, files...)...)
		if got := len(stSystems(t, db, "Section A")); got != total {
			t.Fatalf("import after the kill: %d systems", got)
		}
	}
}
