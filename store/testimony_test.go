package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/testimony"
)

// rawDB is a store with a direct connection to its tables and a way to read
// everything it holds on disk: the SQLite files, or a pg_dump of the
// PostgreSQL schema.
type rawDB struct {
	db   *store.DB
	raw  *sql.DB
	dump func(t *testing.T) []byte
}

func eachRawDB(t *testing.T, f func(t *testing.T, r rawDB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "vigie.db")
		db, err := store.Open(context.Background(), path)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		raw, err := sql.Open("sqlite", path)
		must(t, err)
		t.Cleanup(func() { raw.Close() })
		f(t, rawDB{db: db, raw: raw, dump: func(t *testing.T) []byte {
			var all []byte
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				b, err := os.ReadFile(p)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				all = append(all, b...)
			}
			return all
		}})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := testenv.PostgresDSN(t)
		admin, err := sql.Open("pgx", dsn)
		must(t, err)
		t.Cleanup(func() { admin.Close() })
		schema := "vigie_test_" + strings.ReplaceAll(uuid.NewString(), "-", "")
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatalf("VIGIE_TEST_POSTGRES: %v", err)
		}
		u, _ := url.Parse(dsn)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		db, err := store.Open(context.Background(), u.String())
		must(t, err)
		raw, err := sql.Open("pgx", u.String())
		must(t, err)
		t.Cleanup(func() {
			raw.Close()
			db.Close()
			if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
				t.Errorf("drop schema: %v", err)
			}
		})
		f(t, rawDB{db: db, raw: raw, dump: func(t *testing.T) []byte {
			pgDump, err := exec.LookPath("pg_dump")
			if err != nil {
				if testenv.Required() {
					t.Fatal("pg_dump is required (VIGIE_REQUIRE_SERVICES=1) but absent")
				}
				t.Skip("skipped: pg_dump is absent")
			}
			out, err := exec.Command(pgDump, "--no-owner", "-n", schema, dsn).Output()
			if err != nil {
				t.Fatalf("pg_dump: %v", err)
			}
			return out
		}})
	})
}

func newCampaign(t *testing.T, db *store.DB, fx *fixture, codes int, units ...string) (*vigie.TestimonyCampaign, string, []string) {
	t.Helper()
	id, rcpt, err := testimony.NewIdentity()
	must(t, err)
	tc := &vigie.TestimonyCampaign{OrgID: fx.org.ID, Title: "Outil de planification", Recipients: []string{rcpt}, Units: units,
		OpensOn: vigie.MustDate("2026-03-02"), ClosesOn: vigie.MustDate("2026-03-29")}
	got, err := db.CreateCampaign(fx.as(fx.editor), tc, codes)
	must(t, err)
	return tc, id, got
}

var inMarch = vigie.MustDate("2026-03-17")

func submit(t *testing.T, db *store.DB, tc *vigie.TestimonyCampaign, a vigie.TestimonyAnswer, text string) {
	t.Helper()
	must(t, db.Submit(context.Background(), tc.Token, &vigie.TestimonySubmission{Answer: a, Text: text, Week: "2026-W12"}, inMarch))
}

// TestTestimonyColumnsGolden: the testimony tables hold these columns and
// no other. A new column (an address, a user agent, a timestamp) fails here
// and must be argued for.
func TestTestimonyColumnsGolden(t *testing.T) {
	golden := map[string][]string{
		"testimony_answers":          {"answers", "campaign_id", "id", "unit", "week"},
		"testimony_campaign_systems": {"campaign_id", "system_id"},
		"testimony_campaigns": {"closed_on", "closes_on", "code_key", "created_by", "created_on", "id", "min_group", "opens_on",
			"org_id", "questions", "questions_version", "recipients", "retention_days", "texts_purged_on", "title", "token", "units"},
		"testimony_codes": {"campaign_id", "code_hash", "used"},
		"testimony_texts": {"campaign_id", "ciphertext", "id"},
	}
	eachRawDB(t, func(t *testing.T, r rawDB) {
		got := map[string][]string{}
		var q string
		if r.db.Dialect() == store.SQLite {
			q = "SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name LIKE 'testimony%'"
		} else {
			q = "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name LIKE 'testimony%'"
		}
		rows, err := r.raw.Query(q)
		must(t, err)
		defer rows.Close()
		for rows.Next() {
			var table, col, typ string
			must(t, rows.Scan(&table, &col, &typ))
			got[table] = append(got[table], col)
			if strings.Contains(strings.ToLower(typ), "time") {
				t.Errorf("%s.%s is a %s column: a testimony keeps its ISO week only", table, col, typ)
			}
		}
		for table := range got {
			slices.Sort(got[table])
		}
		if fmt.Sprint(got) != fmt.Sprint(golden) {
			t.Fatalf("testimony columns:\n got %v\nwant %v", got, golden)
		}
	})
}

func TestTestimonyRoles(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		_, rcpt, _ := testimony.NewIdentity()
		mk := func() *vigie.TestimonyCampaign {
			return &vigie.TestimonyCampaign{OrgID: fx.org.ID, Title: "Campagne", Recipients: []string{rcpt}}
		}
		_, err := db.CreateCampaign(fx.as(fx.reader), mk(), 0)
		wantCode(t, err, vigie.EFORBIDDEN)
		_, err = db.CreateCampaign(fx.as(fx.outside), mk(), 0)
		wantCode(t, err, vigie.ENOTFOUND)
		tc := mk()
		_, err = db.CreateCampaign(fx.as(fx.admin), tc, 0)
		must(t, err)
		if tc.MinGroup != 5 || tc.RetentionDays != 90 || len(tc.Questions) != 9 || len(tc.Token) < 22 {
			t.Fatalf("defaults: %+v", tc)
		}
		if _, err := db.FindCampaignByID(fx.as(fx.reader), tc.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindCampaignByID(fx.as(fx.outside), tc.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		_, err = db.FindCampaigns(fx.as(fx.outside), fx.org.ID, "")
		wantCode(t, err, vigie.ENOTFOUND)
		_, _, _, err = db.CampaignAnswers(fx.as(fx.outside), tc.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		wantCode(t, db.CloseCampaign(fx.as(fx.reader), tc.ID, inMarch), vigie.EFORBIDDEN)
		wantCode(t, db.CloseCampaign(fx.as(fx.outside), tc.ID, inMarch), vigie.ENOTFOUND)
		_, err = db.AddCodes(fx.as(fx.reader), tc.ID, 3)
		wantCode(t, err, vigie.EFORBIDDEN)
		must(t, db.CloseCampaign(fx.as(fx.editor), tc.ID, inMarch))
		_, err = db.PurgeTexts(fx.as(fx.admin), inMarch)
		wantCode(t, err, vigie.EFORBIDDEN)

		// Bad input names the field and stores nothing.
		for field, bad := range map[string]*vigie.TestimonyCampaign{
			"title":      {OrgID: fx.org.ID, Recipients: []string{rcpt}},
			"min_group":  {OrgID: fx.org.ID, Title: "x", MinGroup: 2, Recipients: []string{rcpt}},
			"recipients": {OrgID: fx.org.ID, Title: "x", Recipients: []string{"age1nope"}},
			"system":     {OrgID: fx.org.ID, Title: "x", Recipients: []string{rcpt}, SystemIDs: []string{uuid.NewString()}},
			"closes_on":  {OrgID: fx.org.ID, Title: "x", Recipients: []string{rcpt}, OpensOn: inMarch, ClosesOn: inMarch.AddDays(-1)},
		} {
			_, err := db.CreateCampaign(fx.as(fx.editor), bad, 0)
			var e *vigie.Error
			if vigie.ErrorCode(err) != vigie.EINVALID || !asError(err, &e) || e.Field != field {
				t.Errorf("%s: %v", field, err)
			}
		}
		list, err := db.FindCampaigns(fx.as(fx.reader), fx.org.ID, "")
		must(t, err)
		if len(list) != 1 {
			t.Fatalf("%d campaigns stored", len(list))
		}
	})
}

func asError(err error, e **vigie.Error) bool {
	v, ok := err.(*vigie.Error)
	*e = v
	return ok
}

// TestTestimonyIDsAndOrder: 100 submissions; the answers' ids are UUIDv4
// (never v7), not monotone in the order of arrival, and neither the list
// nor the table's own order follows arrival.
func TestTestimonyIDsAndOrder(t *testing.T) {
	eachRawDB(t, func(t *testing.T, r rawDB) {
		db := r.db
		fx := newFixture(t, db)
		tc, _, _ := newCampaign(t, db, fx, 0, "Plateau A", "Plateau B")
		rnd := rand.New(rand.NewPCG(3, 4))
		seen := map[string]bool{}
		var arrival []string // ids in the order they came
		var arrivalValues []string
		ids := testimony.Questions().IDs()
		for i := range 100 {
			a := vigie.TestimonyAnswer{Unit: []string{"", "Plateau A", "Plateau B"}[rnd.IntN(3)], Values: map[string]string{}}
			for _, q := range ids {
				a.Values[q] = fmt.Sprint(rnd.IntN(4))
			}
			text := ""
			if i%3 == 0 {
				text = fmt.Sprintf("texte %d", i)
			}
			submit(t, db, tc, a, text)
			rows, err := r.raw.Query("SELECT id FROM testimony_answers")
			must(t, err)
			var fresh []string
			for rows.Next() {
				var id string
				must(t, rows.Scan(&id))
				if !seen[id] {
					fresh = append(fresh, id)
				}
			}
			rows.Close()
			if len(fresh) != 1 {
				t.Fatalf("submission %d: %d new rows", i, len(fresh))
			}
			seen[fresh[0]] = true
			arrival = append(arrival, fresh[0])
			arrivalValues = append(arrivalValues, fmt.Sprint(a.Unit, a.Values))
		}
		for _, table := range []string{"testimony_answers", "testimony_texts", "testimony_campaigns"} {
			rows, err := r.raw.Query("SELECT id FROM " + table)
			must(t, err)
			for rows.Next() {
				var id string
				must(t, rows.Scan(&id))
				u, err := uuid.Parse(id)
				if err != nil || u.Version() != 4 {
					t.Fatalf("%s id %s is not a UUIDv4 (version %d)", table, id, u.Version())
				}
			}
			rows.Close()
		}
		if slices.IsSorted(arrival) {
			t.Fatal("answer ids rise with arrival")
		}
		// The table's own order (no ORDER BY) is not arrival either.
		rows, err := r.raw.Query("SELECT id FROM testimony_answers")
		must(t, err)
		var stored []string
		for rows.Next() {
			var id string
			must(t, rows.Scan(&id))
			stored = append(stored, id)
		}
		rows.Close()
		if r.db.Dialect() == store.SQLite && slices.Equal(stored, arrival) {
			t.Fatal("the SQLite table keeps the order of arrival")
		}
		list, first, last, err := db.CampaignAnswers(fx.as(fx.reader), tc.ID)
		must(t, err)
		if len(list) != 100 || first != "2026-W12" || last != "2026-W12" {
			t.Fatalf("%d answers, weeks %s–%s", len(list), first, last)
		}
		var listed []string
		for _, a := range list {
			listed = append(listed, fmt.Sprint(a.Unit, a.Values))
		}
		if slices.Equal(listed, arrivalValues) {
			t.Fatal("the list follows arrival")
		}
		key := func(a vigie.TestimonyAnswer) string {
			b, _ := json.Marshal(a.Values)
			return a.Unit + "\x00" + string(b)
		}
		if !slices.IsSortedFunc(list, func(a, b vigie.TestimonyAnswer) int { return strings.Compare(key(a), key(b)) }) {
			t.Fatal("the list is not ordered by value")
		}
	})
}

// TestTestimonyFreeTextEncrypted: a canary phrase written in the free text
// is nowhere in the database files or in a pg_dump; the stored blob is an
// age file that the campaign's identity opens and another's does not.
func TestTestimonyFreeTextEncrypted(t *testing.T) {
	const canary = "canari-7Q2-le-responsable-note-nos-pauses"
	eachRawDB(t, func(t *testing.T, r rawDB) {
		db := r.db
		fx := newFixture(t, db)
		tc, identity, _ := newCampaign(t, db, fx, 0)
		_, otherIdentity, _ := newCampaign(t, db, fx, 0)
		a := vigie.TestimonyAnswer{Values: map[string]string{"surveillance_felt": "3"}}
		submit(t, db, tc, a, canary)
		for range 3 {
			submit(t, db, tc, a, "")
		}
		// Fewer than k answers: the texts stay closed.
		_, err := db.CampaignTexts(fx.as(fx.reader), tc.ID)
		wantCode(t, err, vigie.EFORBIDDEN)
		submit(t, db, tc, a, "")

		var blob []byte
		must(t, r.raw.QueryRow("SELECT ciphertext FROM testimony_texts").Scan(&blob))
		if !bytes.HasPrefix(blob, []byte("age-encryption.org/v1")) {
			t.Fatalf("blob starts with %q", blob[:min(30, len(blob))])
		}
		if r.db.Dialect() == store.SQLite {
			db.Close() // checkpoint the WAL into the file
		}
		if d := r.dump(t); bytes.Contains(d, []byte(canary)) || bytes.Contains(d, []byte("nos-pauses")) || len(d) == 0 {
			t.Fatalf("the canary is in the stored bytes (%d bytes read)", len(d))
		}
		if r.db.Dialect() == store.SQLite {
			return
		}
		texts, err := db.CampaignTexts(fx.as(fx.reader), tc.ID)
		must(t, err)
		ids, err := testimony.ParseIdentity(identity)
		must(t, err)
		got, err := testimony.Open(texts, ids)
		if err != nil || len(got) != 1 || got[0] != canary {
			t.Fatalf("Open = %q, %v", got, err)
		}
		other, _ := testimony.ParseIdentity(otherIdentity)
		if _, err := testimony.Open(texts, other); err == nil {
			t.Fatal("another campaign's identity opened the text")
		}
	})
}

// TestTestimonyDecryptSQLite is the decryption half on SQLite (the dump
// half closes the database).
func TestTestimonyDecryptSQLite(t *testing.T) {
	db := openSQLite(t)
	fx := newFixture(t, db)
	tc, identity, _ := newCampaign(t, db, fx, 0)
	_, otherIdentity, _ := newCampaign(t, db, fx, 0)
	a := vigie.TestimonyAnswer{Values: map[string]string{}}
	submit(t, db, tc, a, "première")
	submit(t, db, tc, a, "seconde")
	for range 3 {
		submit(t, db, tc, a, "")
	}
	texts, err := db.CampaignTexts(fx.as(fx.reader), tc.ID)
	must(t, err)
	ids, _ := testimony.ParseIdentity(identity)
	got, err := testimony.Open(texts, ids)
	must(t, err)
	slices.Sort(got)
	if !slices.Equal(got, []string{"première", "seconde"}) {
		t.Fatalf("texts %q", got)
	}
	other, _ := testimony.ParseIdentity(otherIdentity)
	if _, err := testimony.Open(texts, other); err == nil {
		t.Fatal("another campaign's identity opened the texts")
	}
}

func TestTestimonySubmitRules(t *testing.T) {
	eachRawDB(t, func(t *testing.T, r rawDB) {
		db := r.db
		fx := newFixture(t, db)
		tc, _, codes := newCampaign(t, db, fx, 3, "Guichet")
		if len(codes) != 3 || tc.CodesIssued != 3 {
			t.Fatalf("codes %v", codes)
		}
		ctx := context.Background()
		ok := vigie.TestimonyAnswer{Unit: "Guichet", Values: map[string]string{"opacity": "2"}}
		sub := func(a vigie.TestimonyAnswer, code string, day vigie.Date, week string) error {
			return db.Submit(ctx, tc.Token, &vigie.TestimonySubmission{Answer: a, Code: code, Week: week}, day)
		}
		wantCode(t, sub(ok, "", inMarch, "2026-W12"), vigie.EINVALID)            // code needed
		wantCode(t, sub(ok, "AAAAA-AAAAA", inMarch, "2026-W12"), vigie.EINVALID) // wrong code
		must(t, sub(ok, strings.ToLower(strings.ReplaceAll(codes[0], "-", " ")), inMarch, "2026-W12"))
		wantCode(t, sub(ok, codes[0], inMarch, "2026-W12"), vigie.EINVALID) // used
		wantCode(t, sub(vigie.TestimonyAnswer{Unit: "Ailleurs"}, codes[1], inMarch, "2026-W12"), vigie.EINVALID)
		wantCode(t, sub(vigie.TestimonyAnswer{Values: map[string]string{"opacity": "7"}}, codes[1], inMarch, "2026-W12"), vigie.EINVALID)
		wantCode(t, sub(ok, codes[1], inMarch, "2026-03-17T14:23:51Z"), vigie.EINVALID)
		wantCode(t, sub(ok, codes[1], vigie.MustDate("2026-03-01"), "2026-W09"), vigie.EINVALID) // not yet open
		wantCode(t, sub(ok, codes[1], vigie.MustDate("2026-03-30"), "2026-W14"), vigie.EINVALID) // closed
		wantCode(t, db.Submit(ctx, "no-such-token", &vigie.TestimonySubmission{Week: "2026-W12"}, inMarch), vigie.ENOTFOUND)
		long := strings.Repeat("é", testimony.Questions().FreeText.MaxChars+1)
		wantCode(t, db.Submit(ctx, tc.Token, &vigie.TestimonySubmission{Answer: ok, Code: codes[1], Text: long, Week: "2026-W12"}, inMarch), vigie.EINVALID)
		got, err := db.FindCampaignByID(fx.as(fx.reader), tc.ID)
		must(t, err)
		if got.CodesUsed != 1 {
			t.Fatalf("%d codes used", got.CodesUsed)
		}
		var n int
		must(t, r.raw.QueryRow("SELECT COUNT(*) FROM testimony_answers").Scan(&n))
		if n != 1 {
			t.Fatalf("%d answers stored after refusals", n)
		}
		var week string
		must(t, r.raw.QueryRow("SELECT week FROM testimony_answers").Scan(&week))
		if week != testimony.Week(time.Date(2026, 3, 17, 14, 23, 51, 0, time.UTC)) {
			t.Fatalf("week %q", week)
		}
		db.Now = func() time.Time { return time.Date(2026, 3, 17, 14, 23, 51, 0, time.UTC) }
		more, err := db.AddCodes(fx.as(fx.editor), tc.ID, 2)
		must(t, err)
		must(t, sub(ok, more[0], inMarch, "2026-W12"))
		if d := r.dump(t); bytes.Contains(d, []byte(codes[2])) || bytes.Contains(d, []byte(strings.ReplaceAll(codes[2], "-", ""))) {
			t.Fatal("a paper code is stored in clear")
		}
	})
}

func TestTestimonyRetention(t *testing.T) {
	eachRawDB(t, func(t *testing.T, r rawDB) {
		db := r.db
		fx := newFixture(t, db)
		tc, _, _ := newCampaign(t, db, fx, 0)
		keep, _, _ := newCampaign(t, db, fx, 0)
		a := vigie.TestimonyAnswer{Values: map[string]string{}}
		for i := range 6 {
			submit(t, db, tc, a, fmt.Sprint("texte ", i))
			submit(t, db, keep, a, fmt.Sprint("texte ", i))
		}
		closed := vigie.MustDate("2026-03-20")
		must(t, db.CloseCampaign(fx.as(fx.editor), tc.ID, closed))
		wantCode(t, db.Submit(context.Background(), tc.Token, &vigie.TestimonySubmission{Answer: a, Week: "2026-W12"}, closed), vigie.EINVALID)
		ctx := context.Background()
		n, err := db.PurgeTexts(ctx, closed.AddDays(89))
		must(t, err)
		if n != 0 {
			t.Fatalf("%d texts deleted before the end of retention", n)
		}
		n, err = db.PurgeTexts(ctx, closed.AddDays(90))
		must(t, err)
		if n != 6 {
			t.Fatalf("%d texts deleted, want 6", n)
		}
		var left int
		must(t, r.raw.QueryRow("SELECT COUNT(*) FROM testimony_texts").Scan(&left))
		if left != 6 {
			t.Fatalf("%d texts left, want the other campaign's 6", left)
		}
		got, err := db.FindCampaignByID(fx.as(fx.reader), tc.ID)
		must(t, err)
		if got.TextsPurgedOn != closed.AddDays(90) {
			t.Fatalf("purged on %v", got.TextsPurgedOn)
		}
		answers, _, _, err := db.CampaignAnswers(fx.as(fx.reader), tc.ID)
		must(t, err)
		if len(answers) != 6 {
			t.Fatalf("the answers must stay: %d", len(answers))
		}
		texts, err := db.CampaignTexts(fx.as(fx.reader), tc.ID)
		must(t, err)
		if len(texts) != 0 {
			t.Fatalf("%d texts read after deletion", len(texts))
		}
	})
}
