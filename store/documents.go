package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vigie-app/vigie"
)

var _ vigie.DocumentService = (*DB)(nil)

// MaxDocumentSize bounds the size of an evidence file.
const MaxDocumentSize = 32 << 20

// CreateDocument stores an evidence file of d.SystemID (editor). It fills
// the ID, OrgID, Size, SHA256, UploadedBy and CreatedAt of d, and its
// MediaType when empty.
func (db *DB) CreateDocument(ctx context.Context, d *vigie.Document, content []byte) error {
	d.Name = strings.TrimSpace(d.Name)
	if d.Name == "" {
		return &vigie.Error{Code: vigie.EINVALID, Field: "name", Message: "name : le nom du document est obligatoire / name: the document's name is required"}
	}
	if err := vigie.CheckName("name", d.Name); err != nil {
		return err
	}
	if len(content) > MaxDocumentSize {
		return &vigie.Error{Code: vigie.EINVALID, Field: "file", Message: fmt.Sprintf("file : document trop gros (plus de %d Mio) / file: document too large (over %d MiB)", MaxDocumentSize>>20, MaxDocumentSize>>20)}
	}
	if !contains(vigie.EvidenceSources, d.Source) {
		return &vigie.Error{Code: vigie.EINVALID, Field: "source", Message: fmt.Sprintf("source : attendu %s, trouvé %q / source: expected %s, found %q",
			strings.Join(vigie.EvidenceSources, ", "), d.Source, strings.Join(vigie.EvidenceSources, ", "), d.Source)}
	}
	for _, f := range d.Facts {
		if !vigie.IsFactPath(f) {
			return &vigie.Error{Code: vigie.EINVALID, Field: "facts", Message: fmt.Sprintf("facts : %q n'est pas un fait d'une fiche système / facts: %q is not a fact of a system file", f, f)}
		}
	}
	if d.Facts == nil {
		d.Facts = []string{}
	}
	if d.MediaType == "" {
		d.MediaType = http.DetectContentType(content)
	}
	sum := sha256.Sum256(content)
	facts, _ := json.Marshal(d.Facts)
	return db.inTx(ctx, func(c conn) error {
		sys, err := db.system(ctx, c, d.SystemID)
		if err != nil {
			return err
		}
		if err := db.access(ctx, c, sys.OrgID, vigie.RoleEditor, "système", "system", d.SystemID); err != nil {
			return err
		}
		d.ID = newID()
		d.OrgID = sys.OrgID
		d.Size = int64(len(content))
		d.SHA256 = hex.EncodeToString(sum[:])
		d.UploadedBy = actorID(ctx)
		d.CreatedAt = db.now()
		if content == nil {
			content = []byte{}
		}
		if _, err := c.exec(ctx, `INSERT INTO documents (id, org_id, system_id, name, media_type, size, sha256, doc_date, source, facts, uploaded_by, created_at, content)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.OrgID, d.SystemID, d.Name, d.MediaType, d.Size, d.SHA256, dateText(d.Date), d.Source, string(facts), d.UploadedBy, d.CreatedAt, content); err != nil {
			return err
		}
		return db.addEvent(ctx, c, d.OrgID, "document.added", d.ID, d.Name+" sha256:"+d.SHA256)
	})
}

func dateText(d vigie.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

const documentColumns = "id, org_id, system_id, name, media_type, size, sha256, doc_date, source, facts, uploaded_by, created_at"

func scanDocument(sc interface{ Scan(...any) error }, extra ...any) (*vigie.Document, error) {
	d := &vigie.Document{}
	var date, facts string
	var created time.Time
	dest := append([]any{&d.ID, &d.OrgID, &d.SystemID, &d.Name, &d.MediaType, &d.Size, &d.SHA256, &date, &d.Source, &facts, &d.UploadedBy, &created}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if date != "" {
		var err error
		if d.Date, err = vigie.ParseDate(date); err != nil {
			return nil, err
		}
	}
	if err := json.Unmarshal([]byte(facts), &d.Facts); err != nil {
		return nil, err
	}
	d.CreatedAt = created.UTC()
	return d, nil
}

// FindDocuments lists the evidence files of a system, newest first.
func (db *DB) FindDocuments(ctx context.Context, systemID string) ([]*vigie.Document, error) {
	if _, err := db.FindSystemByID(ctx, systemID); err != nil {
		return nil, err
	}
	rows, err := db.read().query(ctx, "SELECT "+documentColumns+" FROM documents WHERE system_id = ? ORDER BY created_at DESC, id DESC", systemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vigie.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DocumentContent returns an evidence file and its bytes.
func (db *DB) DocumentContent(ctx context.Context, id string) (*vigie.Document, []byte, error) {
	if !validID(id) {
		return nil, nil, notFound("document", "document", id)
	}
	c := db.read()
	var content []byte
	d, err := scanDocument(c.queryRow(ctx, "SELECT "+documentColumns+", content FROM documents WHERE id = ?", id), &content)
	if isNoRows(err) {
		return nil, nil, notFound("document", "document", id)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := db.access(ctx, c, d.OrgID, vigie.RoleReader, "document", "document", id); err != nil {
		return nil, nil, err
	}
	return d, content, nil
}
