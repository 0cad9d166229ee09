package vigie

import "context"

// DossierService keeps what makes a system's dossiers consistent over
// time: the numbers of its exhibits, given once and never changed, and the
// journal of the dossiers made. Scoped like SystemService: any member of
// the system's organisation (a reader too: making a dossier changes no
// fact).
type DossierService interface {
	// ExhibitNumbers returns the numbers already given to the exhibits of
	// systemID, by exhibit key.
	ExhibitNumbers(ctx context.Context, systemID string) (map[string]int, error)
	// KeepExhibitNumbers gives the keys that have no number yet the next
	// numbers, in the order given, and returns every number of the system.
	KeepExhibitNumbers(ctx context.Context, systemID string, keys []string) (map[string]int, error)
	// RecordDossier journals a dossier made of systemID (detail: format,
	// audience, date, sha256 of the bytes).
	RecordDossier(ctx context.Context, systemID, detail string) error
}
