package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vigie-app/vigie"
)

var _ vigie.ReportService = (*DB)(nil)

// MaxReportContent bounds the size of an input file kept with a report.
const MaxReportContent = 256 << 20

var reportKinds = []string{vigie.ReportAssessment, vigie.ReportAudit, vigie.ReportFootprint}

// CreateReport stores an engine report of r.SystemID (editor). It fills the
// ID, OrgID, CreatedBy and CreatedAt of r, and SystemVersion when zero.
func (db *DB) CreateReport(ctx context.Context, r *vigie.Report, content []byte) error {
	if !contains(reportKinds, r.Kind) {
		return &vigie.Error{Code: vigie.EINVALID, Field: "kind", Message: fmt.Sprintf("kind : type de rapport inconnu %q / kind: unknown report kind %q", r.Kind, r.Kind)}
	}
	if len(r.Result) == 0 || !json.Valid(r.Result) {
		return &vigie.Error{Code: vigie.EINVALID, Field: "result", Message: "result : résultat JSON manquant ou invalide / result: missing or invalid JSON result"}
	}
	if len(r.Config) > 0 && !json.Valid(r.Config) {
		return &vigie.Error{Code: vigie.EINVALID, Field: "config", Message: "config : configuration JSON invalide / config: invalid JSON configuration"}
	}
	if len(content) > MaxReportContent {
		return &vigie.Error{Code: vigie.EINVALID, Field: "file", Message: fmt.Sprintf("file : fichier trop gros pour être conservé (plus de %d Mio) / file: file too large to keep (over %d MiB)", MaxReportContent>>20, MaxReportContent>>20)}
	}
	return db.inTx(ctx, func(c conn) error {
		sys, err := db.system(ctx, c, r.SystemID)
		if err != nil {
			return err
		}
		if err := db.access(ctx, c, sys.OrgID, vigie.RoleEditor, "système", "system", r.SystemID); err != nil {
			return err
		}
		r.ID = newID()
		r.OrgID = sys.OrgID
		if r.SystemVersion == 0 {
			r.SystemVersion = sys.Version
		}
		r.CreatedBy = actorID(ctx)
		r.CreatedAt = db.now()
		r.HasContent = content != nil
		var blob any
		if content != nil {
			blob = content
		}
		if _, err := c.exec(ctx, `INSERT INTO reports (id, org_id, system_id, kind, system_version, as_of, title, summary,
			input_name, input_sha256, input_rows, config, result, content, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.OrgID, r.SystemID, r.Kind, r.SystemVersion, dateText(r.AsOf), r.Title, r.Summary,
			r.InputName, r.InputSHA256, r.InputRows, string(r.Config), string(r.Result), blob, r.CreatedBy, r.CreatedAt); err != nil {
			return err
		}
		return db.addEvent(ctx, c, r.OrgID, "report."+r.Kind, r.ID, r.Summary)
	})
}

const reportColumns = "id, org_id, system_id, kind, system_version, as_of, title, summary, input_name, input_sha256, input_rows, config, result, content IS NOT NULL, created_by, created_at"

func scanReport(sc interface{ Scan(...any) error }) (*vigie.Report, error) {
	r := &vigie.Report{}
	var asOf, config, result string
	var created time.Time
	if err := sc.Scan(&r.ID, &r.OrgID, &r.SystemID, &r.Kind, &r.SystemVersion, &asOf, &r.Title, &r.Summary,
		&r.InputName, &r.InputSHA256, &r.InputRows, &config, &result, &r.HasContent, &r.CreatedBy, &created); err != nil {
		return nil, err
	}
	if asOf != "" {
		var err error
		if r.AsOf, err = vigie.ParseDate(asOf); err != nil {
			return nil, err
		}
	}
	if config != "" {
		r.Config = json.RawMessage(config)
	}
	r.Result = json.RawMessage(result)
	r.CreatedAt = created.UTC()
	return r, nil
}

// FindReports lists the reports of a system, of one kind or all, newest first.
func (db *DB) FindReports(ctx context.Context, systemID, kind string) ([]*vigie.Report, error) {
	if _, err := db.FindSystemByID(ctx, systemID); err != nil {
		return nil, err
	}
	q := "SELECT " + reportColumns + " FROM reports WHERE system_id = ?"
	args := []any{systemID}
	if kind != "" {
		q += " AND kind = ?"
		args = append(args, kind)
	}
	rows, err := db.read().query(ctx, q+" ORDER BY created_at DESC, id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vigie.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindReportByID returns a report of one of the actor's organisations.
func (db *DB) FindReportByID(ctx context.Context, id string) (*vigie.Report, error) {
	if !validID(id) {
		return nil, notFound("rapport", "report", id)
	}
	c := db.read()
	r, err := scanReport(c.queryRow(ctx, "SELECT "+reportColumns+" FROM reports WHERE id = ?", id))
	if isNoRows(err) {
		return nil, notFound("rapport", "report", id)
	}
	if err != nil {
		return nil, err
	}
	if err := db.access(ctx, c, r.OrgID, vigie.RoleReader, "rapport", "report", id); err != nil {
		return nil, err
	}
	return r, nil
}

// ReportContent returns the input file kept with a report; ENOTFOUND when
// it was not kept.
func (db *DB) ReportContent(ctx context.Context, id string) ([]byte, error) {
	r, err := db.FindReportByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !r.HasContent {
		return nil, notFound("fichier du rapport", "report file", id)
	}
	var content []byte
	if err := db.read().queryRow(ctx, "SELECT content FROM reports WHERE id = ?", id).Scan(&content); err != nil {
		return nil, err
	}
	return content, nil
}
