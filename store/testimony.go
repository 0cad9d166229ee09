package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/testimony"
)

var _ vigie.TestimonyService = (*DB)(nil)

// Limits of a campaign.
const (
	maxCampaignTitle = 200
	maxCampaignUnits = 50
	maxCodesAtOnce   = 1000
	minMinGroup      = 3
	maxMinGroup      = 100
)

// randomID is the id of everything a testimony stores: a UUIDv4, random,
// so that ids say nothing of the order of arrival (a UUIDv7 would).
func randomID() string { return uuid.New().String() }

// newToken returns 256 random bits, URL-safe: the secret of a public link.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// codeAlphabet has no 0/O or 1/I/L, to be read off paper.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newCode returns a paper code of 10 symbols (about 49 bits), XXXXX-XXXXX.
func newCode() string {
	var b strings.Builder
	for i := range 10 {
		if i == 5 {
			b.WriteByte('-')
		}
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(codeAlphabet))))
		b.WriteByte(codeAlphabet[n.Int64()])
	}
	return b.String()
}

// normalizeCode upper-cases a typed code and drops spaces and dashes.
func normalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r != '-' && r != ' ' && r != '\t' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// codeHash is the keyed hash under which a paper code is stored.
func codeHash(key []byte, code string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(normalizeCode(code)))
	return hex.EncodeToString(m.Sum(nil))
}

func (db *DB) checkCampaign(ctx context.Context, c conn, tc *vigie.TestimonyCampaign, codes int) error {
	bad := func(field, fr, en string) error {
		return &vigie.Error{Code: vigie.EINVALID, Field: field, Message: field + " : " + fr + " / " + field + ": " + en}
	}
	tc.Title = strings.TrimSpace(tc.Title)
	if tc.Title == "" {
		return bad("title", "titre manquant", "title missing")
	}
	if utf8.RuneCountInString(tc.Title) > maxCampaignTitle {
		return bad("title", fmt.Sprintf("titre trop long (%d caractères au plus)", maxCampaignTitle), fmt.Sprintf("title too long (%d characters at most)", maxCampaignTitle))
	}
	if tc.MinGroup == 0 {
		tc.MinGroup = testimony.DefaultMinGroup
	}
	if tc.MinGroup < minMinGroup || tc.MinGroup > maxMinGroup {
		return bad("min_group", fmt.Sprintf("taille minimale de groupe de %d à %d", minMinGroup, maxMinGroup), fmt.Sprintf("minimum group size from %d to %d", minMinGroup, maxMinGroup))
	}
	if codes < 0 || codes > maxCodesAtOnce {
		return bad("codes", fmt.Sprintf("de 0 à %d codes papier", maxCodesAtOnce), fmt.Sprintf("0 to %d paper codes", maxCodesAtOnce))
	}
	if tc.RetentionDays == 0 {
		tc.RetentionDays = vigie.DefaultRetentionDays
	}
	if tc.RetentionDays < 0 || tc.RetentionDays > 3650 {
		return bad("retention_days", "durée de conservation de 1 à 3650 jours", "retention from 1 to 3650 days")
	}
	today := vigie.DateInFrance(db.Now())
	if tc.OpensOn.IsZero() {
		tc.OpensOn = today
	}
	if tc.ClosesOn.IsZero() {
		tc.ClosesOn = tc.OpensOn.AddDays(27)
	}
	if tc.ClosesOn.Before(tc.OpensOn) {
		return bad("closes_on", "la clôture précède l'ouverture", "the closing date is before the opening date")
	}
	qs, err := testimony.Questions().Select(tc.Questions)
	if err != nil {
		return err
	}
	tc.Questions = tc.Questions[:0]
	for _, q := range qs {
		tc.Questions = append(tc.Questions, q.ID)
	}
	tc.QuestionsVersion = testimony.Questions().Version
	rs, err := testimony.ParseRecipients(strings.Join(tc.Recipients, "\n"))
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		return bad("recipients", "au moins un destinataire age (age1…)", "at least one age recipient (age1…)")
	}
	tc.Recipients = rs
	// Systems: of the same organisation; their units are offered unless
	// the campaign names its own.
	seen := map[string]bool{}
	var sysIDs []string
	var units []string
	for _, id := range tc.SystemIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		sys, err := db.system(ctx, c, id)
		if err != nil || sys.OrgID != tc.OrgID {
			return &vigie.Error{Code: vigie.EINVALID, Field: "system", Message: "system : système introuvable dans cette organisation : " + id + " / system: no such system in this organisation: " + id}
		}
		sysIDs = append(sysIDs, id)
		units = append(units, sys.System.Deployment.Units.Items...)
	}
	tc.SystemIDs = sysIDs
	if tc.SystemIDs == nil {
		tc.SystemIDs = []string{}
	}
	if len(tc.Units) == 0 {
		tc.Units = units
	}
	var clean []string
	for _, u := range tc.Units {
		u = strings.TrimSpace(u)
		if u == "" || slices.Contains(clean, u) {
			continue
		}
		if utf8.RuneCountInString(u) > 120 {
			return bad("units", "nom d'unité trop long (120 caractères au plus)", "unit name too long (120 characters at most)")
		}
		clean = append(clean, u)
	}
	if len(clean) > maxCampaignUnits {
		return bad("units", fmt.Sprintf("%d unités au plus", maxCampaignUnits), fmt.Sprintf("%d units at most", maxCampaignUnits))
	}
	if clean == nil {
		clean = []string{}
	}
	tc.Units = clean
	return nil
}

// CreateCampaign stores a new campaign (editor of its organisation) with a
// new public token, and makes codes paper codes, returned once: only their
// keyed hashes are kept.
func (db *DB) CreateCampaign(ctx context.Context, tc *vigie.TestimonyCampaign, codes int) ([]string, error) {
	var out []string
	err := db.inTx(ctx, func(c conn) error {
		if err := db.access(ctx, c, tc.OrgID, vigie.RoleEditor, "organisation", "organisation", tc.OrgID); err != nil {
			return err
		}
		if err := db.checkCampaign(ctx, c, tc, codes); err != nil {
			return err
		}
		tc.ID = randomID()
		tc.Token = newToken()
		tc.CreatedBy = actorID(ctx)
		tc.CreatedOn = vigie.DateInFrance(db.Now())
		key := make([]byte, 32)
		rand.Read(key)
		qs, _ := json.Marshal(tc.Questions)
		units, _ := json.Marshal(tc.Units)
		if _, err := c.exec(ctx, `INSERT INTO testimony_campaigns (id, org_id, title, opens_on, closes_on, min_group, questions,
			questions_version, units, token, recipients, code_key, retention_days, created_by, created_on)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tc.ID, tc.OrgID, tc.Title, dateText(tc.OpensOn), dateText(tc.ClosesOn), tc.MinGroup, string(qs),
			tc.QuestionsVersion, string(units), tc.Token, strings.Join(tc.Recipients, "\n"), key, tc.RetentionDays,
			tc.CreatedBy, dateText(tc.CreatedOn)); err != nil {
			return err
		}
		for _, id := range tc.SystemIDs {
			if _, err := c.exec(ctx, "INSERT INTO testimony_campaign_systems (campaign_id, system_id) VALUES (?, ?)", tc.ID, id); err != nil {
				return err
			}
		}
		var err error
		if out, err = insertCodes(ctx, c, tc.ID, key, codes); err != nil {
			return err
		}
		tc.CodesIssued = codes
		return db.addEvent(ctx, c, tc.OrgID, "testimony.created", tc.ID, tc.Title)
	})
	return out, err
}

func insertCodes(ctx context.Context, c conn, campaignID string, key []byte, n int) ([]string, error) {
	var out []string
	for len(out) < n {
		code := newCode()
		if slices.Contains(out, code) {
			continue
		}
		if _, err := c.exec(ctx, "INSERT INTO testimony_codes (campaign_id, code_hash, used) VALUES (?, ?, 0)", campaignID, codeHash(key, code)); err != nil {
			return nil, err
		}
		out = append(out, code)
	}
	// Sorted, so that the order of printing says nothing either.
	slices.Sort(out)
	return out, nil
}

// AddCodes makes n more paper codes for a campaign still open (editor).
func (db *DB) AddCodes(ctx context.Context, id string, n int) ([]string, error) {
	if n < 1 || n > maxCodesAtOnce {
		return nil, &vigie.Error{Code: vigie.EINVALID, Field: "codes", Message: fmt.Sprintf("codes : de 1 à %d codes papier / codes: 1 to %d paper codes", maxCodesAtOnce, maxCodesAtOnce)}
	}
	var out []string
	err := db.inTx(ctx, func(c conn) error {
		tc, key, err := db.campaign(ctx, c, "id", id)
		if err != nil {
			return err
		}
		if err := db.access(ctx, c, tc.OrgID, vigie.RoleEditor, "campagne", "campaign", id); err != nil {
			return err
		}
		if tc.ClosedBy(vigie.DateInFrance(db.Now())) {
			return vigie.Errorf(vigie.EINVALID, "campagne close : plus de nouveaux codes / campaign closed: no new codes")
		}
		if out, err = insertCodes(ctx, c, tc.ID, key, n); err != nil {
			return err
		}
		return db.addEvent(ctx, c, tc.OrgID, "testimony.codes", tc.ID, fmt.Sprint(n))
	})
	return out, err
}

const campaignColumns = `id, org_id, title, opens_on, closes_on, min_group, questions, questions_version, units, token,
	recipients, code_key, retention_days, closed_on, texts_purged_on, created_by, created_on`

func scanCampaign(sc interface{ Scan(...any) error }) (*vigie.TestimonyCampaign, []byte, error) {
	tc := &vigie.TestimonyCampaign{}
	var opens, closes, qs, units, rcpts, closed, purged, created string
	var key []byte
	if err := sc.Scan(&tc.ID, &tc.OrgID, &tc.Title, &opens, &closes, &tc.MinGroup, &qs, &tc.QuestionsVersion, &units, &tc.Token,
		&rcpts, &key, &tc.RetentionDays, &closed, &purged, &tc.CreatedBy, &created); err != nil {
		return nil, nil, err
	}
	for _, d := range []struct {
		s   string
		dst *vigie.Date
	}{{opens, &tc.OpensOn}, {closes, &tc.ClosesOn}, {closed, &tc.ClosedOn}, {purged, &tc.TextsPurgedOn}, {created, &tc.CreatedOn}} {
		if d.s == "" {
			continue
		}
		v, err := vigie.ParseDate(d.s)
		if err != nil {
			return nil, nil, err
		}
		*d.dst = v
	}
	if err := json.Unmarshal([]byte(qs), &tc.Questions); err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal([]byte(units), &tc.Units); err != nil {
		return nil, nil, err
	}
	tc.Recipients = strings.Split(rcpts, "\n")
	return tc, key, nil
}

// campaign loads a campaign by id or token, with its systems and code
// counts, and its code key; no access check.
func (db *DB) campaign(ctx context.Context, c conn, by, value string) (*vigie.TestimonyCampaign, []byte, error) {
	if by == "id" && !validID(value) || value == "" {
		return nil, nil, notFound("campagne", "campaign", value)
	}
	col := "id"
	if by == "token" {
		col = "token"
	}
	tc, key, err := scanCampaign(c.queryRow(ctx, "SELECT "+campaignColumns+" FROM testimony_campaigns WHERE "+col+" = ?", value))
	if isNoRows(err) {
		if by == "token" {
			return nil, nil, vigie.Errorf(vigie.ENOTFOUND, "questionnaire introuvable / questionnaire not found")
		}
		return nil, nil, notFound("campagne", "campaign", value)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := db.fillCampaign(ctx, c, tc); err != nil {
		return nil, nil, err
	}
	return tc, key, nil
}

func (db *DB) fillCampaign(ctx context.Context, c conn, tc *vigie.TestimonyCampaign) error {
	rows, err := c.query(ctx, "SELECT system_id FROM testimony_campaign_systems WHERE campaign_id = ? ORDER BY system_id", tc.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	tc.SystemIDs = []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		tc.SystemIDs = append(tc.SystemIDs, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return c.queryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(used), 0) FROM testimony_codes WHERE campaign_id = ?", tc.ID).Scan(&tc.CodesIssued, &tc.CodesUsed)
}

// FindCampaignByID returns a campaign of one of the actor's organisations.
func (db *DB) FindCampaignByID(ctx context.Context, id string) (*vigie.TestimonyCampaign, error) {
	c := db.read()
	tc, _, err := db.campaign(ctx, c, "id", id)
	if err != nil {
		return nil, err
	}
	if err := db.access(ctx, c, tc.OrgID, vigie.RoleReader, "campagne", "campaign", id); err != nil {
		return nil, err
	}
	return tc, nil
}

// FindCampaigns returns the campaigns of an organisation (of one system
// when systemID is given), by opening date, newest first.
func (db *DB) FindCampaigns(ctx context.Context, orgID, systemID string) ([]*vigie.TestimonyCampaign, error) {
	c := db.read()
	if err := db.access(ctx, c, orgID, vigie.RoleReader, "organisation", "organisation", orgID); err != nil {
		return nil, err
	}
	q := "SELECT " + campaignColumns + " FROM testimony_campaigns WHERE org_id = ?"
	args := []any{orgID}
	if systemID != "" {
		q += " AND id IN (SELECT campaign_id FROM testimony_campaign_systems WHERE system_id = ?)"
		args = append(args, systemID)
	}
	rows, err := c.query(ctx, q+" ORDER BY opens_on DESC, title, id", args...)
	if err != nil {
		return nil, err
	}
	var out []*vigie.TestimonyCampaign
	for rows.Next() {
		tc, _, err := scanCampaign(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, tc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, tc := range out {
		if err := db.fillCampaign(ctx, c, tc); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CloseCampaign stops the answers of a campaign from day on (editor).
func (db *DB) CloseCampaign(ctx context.Context, id string, day vigie.Date) error {
	return db.inTx(ctx, func(c conn) error {
		tc, _, err := db.campaign(ctx, c, "id", id)
		if err != nil {
			return err
		}
		if err := db.access(ctx, c, tc.OrgID, vigie.RoleEditor, "campagne", "campaign", id); err != nil {
			return err
		}
		if tc.ClosedBy(day) {
			return nil
		}
		if _, err := c.exec(ctx, "UPDATE testimony_campaigns SET closed_on = ? WHERE id = ?", dateText(day), id); err != nil {
			return err
		}
		return db.addEvent(ctx, c, tc.OrgID, "testimony.closed", tc.ID, tc.Title)
	})
}

// CampaignAnswers returns the structured answers of a campaign (reader),
// ordered by value, and the weeks of the first and last.
func (db *DB) CampaignAnswers(ctx context.Context, id string) ([]vigie.TestimonyAnswer, string, string, error) {
	c := db.read()
	if _, err := db.FindCampaignByID(ctx, id); err != nil {
		return nil, "", "", err
	}
	rows, err := c.query(ctx, "SELECT unit, answers, week FROM testimony_answers WHERE campaign_id = ? ORDER BY unit, answers, week", id)
	if err != nil {
		return nil, "", "", err
	}
	defer rows.Close()
	out := []vigie.TestimonyAnswer{}
	var first, last string
	for rows.Next() {
		var a vigie.TestimonyAnswer
		var raw, week string
		if err := rows.Scan(&a.Unit, &raw, &week); err != nil {
			return nil, "", "", err
		}
		if err := json.Unmarshal([]byte(raw), &a.Values); err != nil {
			return nil, "", "", err
		}
		if first == "" || week < first {
			first = week
		}
		if week > last {
			last = week
		}
		out = append(out, a)
	}
	return out, first, last, rows.Err()
}

// CampaignTexts returns the encrypted free texts of a campaign (reader) in a
// random order, once at least its minimum group answered.
func (db *DB) CampaignTexts(ctx context.Context, id string) ([][]byte, error) {
	tc, err := db.FindCampaignByID(ctx, id)
	if err != nil {
		return nil, err
	}
	c := db.read()
	var n int
	if err := c.queryRow(ctx, "SELECT COUNT(*) FROM testimony_answers WHERE campaign_id = ?", id).Scan(&n); err != nil {
		return nil, err
	}
	if n < tc.MinGroup {
		return nil, &vigie.Error{Code: vigie.EFORBIDDEN, Message: fmt.Sprintf(
			"textes libres lisibles à partir de %d réponses / free texts readable from %d answers on", tc.MinGroup, tc.MinGroup)}
	}
	rows, err := c.query(ctx, "SELECT ciphertext FROM testimony_texts WHERE campaign_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := [][]byte{}
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := len(out) - 1; i > 0; i-- {
		j, _ := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		out[i], out[j.Int64()] = out[j.Int64()], out[i]
	}
	return out, nil
}

// CampaignForToken returns the campaign of a public link; no actor.
func (db *DB) CampaignForToken(ctx context.Context, token string) (*vigie.TestimonyCampaign, error) {
	tc, _, err := db.campaign(ctx, db.read(), "token", token)
	return tc, err
}

// Submit stores one submission to the campaign of token on day. The
// structured answers and the free text go to two tables under two random
// ids; the text is encrypted to the campaign's recipients first. Nothing
// else is kept: no time but the ISO week, nothing of the request. A paper
// code, when the campaign has codes, is marked used in the same
// transaction, and nothing links it to the answer.
func (db *DB) Submit(ctx context.Context, token string, s *vigie.TestimonySubmission, day vigie.Date) error {
	if !testimony.ValidWeek(s.Week) {
		return vigie.Errorf(vigie.EINVALID, "semaine invalide / invalid week")
	}
	tc, key, err := db.campaign(ctx, db.read(), "token", token)
	if err != nil {
		return err
	}
	if !tc.OpenOn(day) {
		return &vigie.Error{Code: vigie.EINVALID, Message: "ce questionnaire n'est pas ouvert aujourd'hui / this questionnaire is not open today"}
	}
	a := testimony.Answer(s.Answer)
	camp := testimony.Campaign{ID: tc.ID, MinGroup: tc.MinGroup, Questions: tc.Questions, Units: tc.Units}
	if err := camp.Validate(&a); err != nil {
		return err
	}
	text := strings.TrimSpace(s.Text)
	if n := utf8.RuneCountInString(text); n > testimony.Questions().FreeText.MaxChars {
		return &vigie.Error{Code: vigie.EINVALID, Field: "text", Message: fmt.Sprintf("texte trop long (%d caractères au plus) / text too long (%d characters at most)",
			testimony.Questions().FreeText.MaxChars, testimony.Questions().FreeText.MaxChars)}
	}
	if !utf8.ValidString(text) {
		return &vigie.Error{Code: vigie.EINVALID, Field: "text", Message: "texte illisible (UTF-8) / unreadable text (UTF-8)"}
	}
	var sealed []byte
	if text != "" {
		if sealed, err = testimony.Seal(text, tc.Recipients); err != nil {
			return err
		}
	}
	raw, _ := json.Marshal(a.Values) // keys sorted
	return db.inTx(ctx, func(c conn) error {
		if tc.CodesIssued > 0 {
			res, err := c.exec(ctx, "UPDATE testimony_codes SET used = 1 WHERE campaign_id = ? AND code_hash = ? AND used = 0", tc.ID, codeHash(key, s.Code))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return &vigie.Error{Code: vigie.EINVALID, Field: "code", Message: "code inconnu ou déjà utilisé / unknown or already used code"}
			}
		}
		if _, err := c.exec(ctx, "INSERT INTO testimony_answers (id, campaign_id, week, unit, answers) VALUES (?, ?, ?, ?, ?)",
			randomID(), tc.ID, s.Week, a.Unit, string(raw)); err != nil {
			return err
		}
		if sealed != nil {
			if _, err := c.exec(ctx, "INSERT INTO testimony_texts (id, campaign_id, ciphertext) VALUES (?, ?, ?)", randomID(), tc.ID, sealed); err != nil {
				return err
			}
		}
		return nil
	})
}

// PurgeTexts deletes the free texts of every campaign whose retention
// period after closing has ended by day (the operator only: the server
// runs it). The aggregates stay.
func (db *DB) PurgeTexts(ctx context.Context, day vigie.Date) (int, error) {
	if vigie.UserFromContext(ctx) != nil {
		return 0, forbidden(vigie.RoleAdmin)
	}
	total := 0
	err := db.inTx(ctx, func(c conn) error {
		rows, err := c.query(ctx, "SELECT "+campaignColumns+" FROM testimony_campaigns WHERE texts_purged_on = ''")
		if err != nil {
			return err
		}
		var due []*vigie.TestimonyCampaign
		for rows.Next() {
			tc, _, err := scanCampaign(rows)
			if err != nil {
				rows.Close()
				return err
			}
			if !day.Before(tc.EndsOn().AddDays(tc.RetentionDays)) {
				due = append(due, tc)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, tc := range due {
			res, err := c.exec(ctx, "DELETE FROM testimony_texts WHERE campaign_id = ?", tc.ID)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			total += int(n)
			if _, err := c.exec(ctx, "UPDATE testimony_campaigns SET texts_purged_on = ? WHERE id = ?", dateText(day), tc.ID); err != nil {
				return err
			}
			if err := db.addEvent(ctx, c, tc.OrgID, "testimony.texts_deleted", tc.ID, fmt.Sprint(n)); err != nil {
				return err
			}
		}
		return nil
	})
	return total, err
}
