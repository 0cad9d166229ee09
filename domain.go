package vigie

import (
	"context"
	"time"
)

// Role is what a user may do in an organisation.
type Role string

// The roles, from most to least powerful.
const (
	RoleAdmin  Role = "admin"  // manages members, and everything an editor does
	RoleEditor Role = "editor" // records and changes systems, evidence, actions
	RoleReader Role = "reader" // reads the register
)

// Roles lists the valid roles.
var Roles = []Role{RoleAdmin, RoleEditor, RoleReader}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleEditor || r == RoleReader }

// Allows reports whether r grants at least the rights of need.
func (r Role) Allows(need Role) bool {
	rank := map[Role]int{RoleReader: 1, RoleEditor: 2, RoleAdmin: 3}
	return rank[r] >= rank[need] && rank[need] > 0
}

// Organisation kinds.
const (
	OrgFederation = "federation" // a federation or union that may hold sections
	OrgUnion      = "union"
	OrgSection    = "section" // a union section or a staff-body delegation
)

// Organisation is a union structure: a federation, a union, or a section.
// A federation may hold sections (ParentID); a member of a parent
// organisation does not thereby see its sections' systems: access follows
// memberships only.
type Organisation struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	ParentID  string    `json:"parent_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Workplace is an employer or establishment where systems are used.
type Workplace struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"` // one of Enums["organisation.kind"]
	Headcount OptInt    `json:"headcount"`
	StaffBody string    `json:"staff_body"` // cse, csa, f3sct…
	Sector    string    `json:"sector"`
	CreatedAt time.Time `json:"created_at"`
}

// User is a person with an account.
type User struct {
	ID           string    `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	PasswordHash string    `json:"-"`
	Lang         string    `json:"lang"` // fr or en
	CreatedAt    time.Time `json:"created_at"`
	// MustChangePassword is set when someone else chose the password (an
	// admin creating the account, the operator resetting it): the web app
	// asks for a new one before anything else.
	MustChangePassword bool `json:"must_change_password,omitempty"`
	// Memberships are filled by the store when the user is loaded.
	Memberships []Membership `json:"memberships,omitempty"`
}

// RoleIn returns the user's role in org, and false when not a member.
func (u *User) RoleIn(orgID string) (Role, bool) {
	if u == nil {
		return "", false
	}
	for _, m := range u.Memberships {
		if m.OrgID == orgID {
			return m.Role, true
		}
	}
	return "", false
}

// Membership gives a user a role in an organisation.
type Membership struct {
	UserID  string `json:"user_id"`
	OrgID   string `json:"org_id"`
	OrgName string `json:"org_name,omitempty"`
	Role    Role   `json:"role"`
	// UserName and UserEmail are filled by OrganisationService.Members.
	UserName  string `json:"user_name,omitempty"`
	UserEmail string `json:"user_email,omitempty"`
}

// Invitation asks the holder of an address to join an organisation with a
// role: only their acceptance makes them a member. It waits, whether or not
// an account has that address, until it is answered, revoked or expired.
type Invitation struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	OrgName   string    `json:"org_name,omitempty"`
	Email     string    `json:"email"`
	Role      Role      `json:"role"`
	InvitedBy string    `json:"invited_by,omitempty"` // display name of the inviter
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// InvitationLifetime is how long an invitation waits for its answer.
const InvitationLifetime = 14 * 24 * time.Hour

// SystemRecord is a stored system: its facts and where it belongs.
type SystemRecord struct {
	ID          string `json:"id"` // UUIDv7
	OrgID       string `json:"org_id"`
	WorkplaceID string `json:"workplace_id,omitempty"`
	Version     int    `json:"version"` // 1 at creation, +1 at each change
	// Sharing is SharingSection (the default), SharingFederation or
	// SharingPublic; an empty value at creation means SharingSection and
	// at update keeps the stored level.
	Sharing   string    `json:"sharing"`
	System    System    `json:"system"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
	// Summary is what the register lists of the system (tier, unmet
	// obligations, next due date), kept by the store.
	Summary SystemSummary `json:"summary"`
}

// SystemChange is one fact changed in one version of a system.
type SystemChange struct {
	SystemID string    `json:"system_id"`
	Version  int       `json:"version"`
	UserID   string    `json:"user_id"`
	UserName string    `json:"user_name,omitempty"`
	At       time.Time `json:"at"`
	Fact     string    `json:"fact"` // path, e.g. deployment.staff_body_consulted
	Old      string    `json:"old"`
	New      string    `json:"new"`
}

// SystemFilter selects systems in the register.
type SystemFilter struct {
	OrgID       string // required: the register is per organisation
	WorkplaceID string
	Status      string // deployment.status
	Domain      string // one of purpose.domains
	Query       string // searched in name, vendor, description
	Limit       int    // 0: no limit
	Offset      int
	Sort        string // one of SortOrders; "" is SortName
	// ListOnly reads what a list shows, not the facts: the System of each
	// record holds only Name, Vendor, Deployment.Status and
	// Purpose.Domains (with the record's columns and Summary).
	ListOnly bool
}

// Document is an evidence file: an employer's note, minutes, a survey.
type Document struct {
	ID         string    `json:"id"`
	OrgID      string    `json:"org_id"`
	SystemID   string    `json:"system_id"`
	Name       string    `json:"name"`
	MediaType  string    `json:"media_type"`
	Size       int64     `json:"size"`
	SHA256     string    `json:"sha256"`
	Date       Date      `json:"date"`   // date of the document
	Source     string    `json:"source"` // one of EvidenceSources
	Facts      []string  `json:"facts"`  // fact paths it supports
	UploadedBy string    `json:"uploaded_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// Event is one entry of the append-only log of an organisation.
type Event struct {
	ID      int64     `json:"id"`
	OrgID   string    `json:"org_id"`
	UserID  string    `json:"user_id"`
	At      time.Time `json:"at"`
	Kind    string    `json:"kind"`    // e.g. system.created, system.updated, member.added
	Subject string    `json:"subject"` // id of what it is about
	Detail  string    `json:"detail"`
	// UserName is the display name of the acting user, filled by
	// EventService.FindEvents; empty for the operator (command line).
	UserName string `json:"user_name,omitempty"`
}

// UserService manages accounts. Creating the first user needs no actor;
// every other call that reads or changes another user needs an admin actor
// (see NewContextWithUser) except authentication.
type UserService interface {
	CountUsers(ctx context.Context) (int, error)
	// CreateUser stores u with the given password hash already set.
	CreateUser(ctx context.Context, u *User) error
	FindUserByID(ctx context.Context, id string) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	SetPasswordHash(ctx context.Context, userID, hash string) error
	ListUsers(ctx context.Context) ([]*User, error)
	// CreateAccount stores the new account u (hash set) and makes it a
	// member of orgID with role, in one transaction; an admin of orgID only.
	// An address that already has an account is ECONFLICT.
	CreateAccount(ctx context.Context, orgID string, u *User, role Role) error
	// SetUserLang sets the interface language (fr, en) of userID: the user
	// themself only.
	SetUserLang(ctx context.Context, userID, lang string) error
}

// OrganisationService manages organisations and memberships. Calls are
// scoped to the actor in ctx.
type OrganisationService interface {
	// CreateOrganisation stores o; the actor (if any) becomes its admin.
	CreateOrganisation(ctx context.Context, o *Organisation) error
	FindOrganisationByID(ctx context.Context, id string) (*Organisation, error)
	// FindOrganisations returns the organisations the actor is a member of.
	FindOrganisations(ctx context.Context) ([]*Organisation, error)
	// SetMember gives userID the role in orgID (admin actor required, or no
	// actor for the command line).
	SetMember(ctx context.Context, orgID, userID string, role Role) error
	RemoveMember(ctx context.Context, orgID, userID string) error
	Members(ctx context.Context, orgID string) ([]Membership, error)

	// Invite invites email to orgID with role (admin of orgID): the same
	// result whether or not the address has an account; a pending
	// invitation of the same address is replaced.
	Invite(ctx context.Context, orgID, email string, role Role) (*Invitation, error)
	// Invitations lists the pending, unexpired invitations of orgID
	// (admin of orgID).
	Invitations(ctx context.Context, orgID string) ([]*Invitation, error)
	// RevokeInvitation withdraws a pending invitation of orgID (admin of
	// orgID); an invitation of another organisation is ENOTFOUND.
	RevokeInvitation(ctx context.Context, orgID, id string) error
	// MyInvitations lists the pending, unexpired invitations of the
	// actor's address.
	MyInvitations(ctx context.Context) ([]*Invitation, error)
	// AcceptInvitation makes the actor a member with the invitation's
	// role; DeclineInvitation refuses it. An invitation of another
	// address, answered, revoked or expired is ENOTFOUND.
	AcceptInvitation(ctx context.Context, id string) (*Invitation, error)
	DeclineInvitation(ctx context.Context, id string) error
}

// WorkplaceService manages the workplaces of an organisation.
type WorkplaceService interface {
	CreateWorkplace(ctx context.Context, w *Workplace) error
	UpdateWorkplace(ctx context.Context, w *Workplace) error
	FindWorkplaceByID(ctx context.Context, id string) (*Workplace, error)
	FindWorkplaces(ctx context.Context, orgID string) ([]*Workplace, error)
}

// SystemService manages the register. Every call is scoped to the actor's
// organisations: a system of another organisation is ENOTFOUND, whether or
// not it exists.
type SystemService interface {
	CreateSystem(ctx context.Context, r *SystemRecord) error
	// UpdateSystem stores new facts as version r.Version+1 when r.Version is
	// the current version (ECONFLICT otherwise), and records every changed
	// fact in the history.
	UpdateSystem(ctx context.Context, r *SystemRecord) error
	DeleteSystem(ctx context.Context, id string) error
	FindSystemByID(ctx context.Context, id string) (*SystemRecord, error)
	// FindSystems returns the matching systems, and how many match in all.
	FindSystems(ctx context.Context, f SystemFilter) ([]*SystemRecord, int, error)
	// EachSystem calls fn with every system of f.OrgID matching
	// f.WorkplaceID and f.Status, in FindSystems' order, a few at a time:
	// an export of any size in constant memory. fn's error stops it.
	EachSystem(ctx context.Context, f SystemFilter, fn func(*SystemRecord) error) error
	SystemHistory(ctx context.Context, id string) ([]SystemChange, error)
	// ImportSystems stores all records in one transaction: all or none.
	ImportSystems(ctx context.Context, orgID string, rs []*SystemRecord) error
}

// DocumentService keeps evidence files.
type DocumentService interface {
	CreateDocument(ctx context.Context, d *Document, content []byte) error
	FindDocuments(ctx context.Context, systemID string) ([]*Document, error)
	// DocumentContent returns the document and its bytes.
	DocumentContent(ctx context.Context, id string) (*Document, []byte, error)
}

// EventService reads the append-only log. Events are written by the other
// services, in the same transaction as the change they record.
type EventService interface {
	FindEvents(ctx context.Context, orgID string, limit int) ([]*Event, error)
}

type contextKey int

const userContextKey contextKey = iota

// NewContextWithUser returns a context carrying the acting user, whose
// memberships scope every store call.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey, u)
}

// UserFromContext returns the acting user, or nil (the command line acting
// as the machine's operator).
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey).(*User)
	return u
}
