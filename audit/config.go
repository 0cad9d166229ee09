package audit

import (
	"math"
	"sort"
	"strings"

	"github.com/vigie-app/vigie"
)

// Direction says what being flagged means for the person.
type Direction string

const (
	// Adverse: being flagged harms the person (controlled, refused, sanctioned).
	Adverse Direction = "adverse"
	// Favourable: being flagged benefits the person (selected, granted).
	Favourable Direction = "favourable"
)

// ReaderMode chooses the CSV reader.
type ReaderMode string

const (
	// ReaderAuto uses the parallel reader for inputs larger than 1 MiB and
	// the sequential one otherwise.
	ReaderAuto ReaderMode = ""
	// ReaderParallel splits the input into blocks at record boundaries and
	// parses them on several goroutines.
	ReaderParallel ReaderMode = "parallel"
	// ReaderSequential is the careful byte-by-byte RFC 4180 reader.
	ReaderSequential ReaderMode = "sequential"
)

// Config describes one audit. The zero values of the optional fields are the
// documented defaults.
type Config struct {
	// Groups are the protected attributes (column names); at least one.
	Groups []string
	// Intersect adds the combinations of Groups as one more attribute
	// (at most 4 columns), with the smoothed empirical differential fairness.
	Intersect bool
	// Label is the observed-outcome column; optional. Its values are read as
	// 1/0, true/false, yes/no, oui/non, vrai/faux (any case) unless
	// LabelPositive is set.
	Label string
	// LabelPositive, when set, lists the label values that count as positive
	// (the event that the flag predicts); LabelNegative then lists the
	// negative ones, or, when empty, every other non-missing value is negative.
	LabelPositive, LabelNegative []string
	// Score is the column that flags a person; required.
	Score string
	// Threshold: numeric score, flagged iff score >= *Threshold.
	Threshold *float64
	// Positive: categorical score, flagged iff the value is one of these.
	Positive []string
	// Reference gives the reference group per attribute (attribute name →
	// group value). Default: the largest group, ties to the lexically first.
	Reference map[string]string
	// Direction of the flag; default Adverse.
	Direction Direction
	// Delimiter: 0 detects , ; or tab (or runs of spaces); ' ' means fields
	// separated by runs of spaces and tabs (no quoting).
	Delimiter rune
	// Encoding: "" detects UTF-8 or Windows-1252; "utf-8" or "windows-1252".
	Encoding string
	// Format: "" (by file extension, else CSV), "csv" or "parquet".
	Format string
	// MinN: a rate whose denominator is below MinN gives an insufficient
	// verdict (default 30).
	MinN int
	// Alpha: the level of the corrected tests (default 0.05).
	Alpha float64
	// Concentration of the smoothed EDF (default 1).
	Concentration float64
	// Recode merges or renames group values, per attribute: value → new
	// value; the key "*" catches every value not listed.
	Recode map[string]map[string]string
	// Cut turns a numeric group column into bands: with cuts c1 < c2 < …,
	// the groups are "<= c1", "> c1 et <= c2", …, "> ck".
	Cut map[string][]float64
	// Missing lists values that count as missing in every used column
	// (besides the empty string), e.g. "NA".
	Missing []string
	// Reader chooses the CSV reader (default ReaderAuto).
	Reader ReaderMode
	// Workers for the parallel reader (default 2).
	Workers int
	// MaxGroups bounds the distinct values of one group column
	// (default 10000), so that memory stays bounded.
	MaxGroups int
	// NoHash skips the SHA-256 of the input.
	NoHash bool
	// Path is reported as input.path (Run does not open it).
	Path string
	// Size is the input size in bytes if known (for Progress).
	Size int64
	// Progress, if set, is called from time to time with the bytes read.
	Progress func(read, total int64)

	blockSize int  // tests: smaller blocks
	slowAdd   bool // tests: never take the fast counting path
	maxRec    int  // tests: smaller record limit
}

func (c *Config) maxRecord() int {
	if c.maxRec > 0 {
		return c.maxRec
	}
	return maxRecord
}

const maxIntersect = 4

func (c *Config) defaults() {
	if c.MinN == 0 {
		c.MinN = 30
	}
	if c.Alpha == 0 {
		c.Alpha = 0.05
	}
	if c.Concentration == 0 {
		c.Concentration = 1
	}
	if c.Direction == "" {
		c.Direction = Adverse
	}
	if c.Workers <= 0 {
		c.Workers = 2
	}
	if c.MaxGroups <= 0 {
		c.MaxGroups = 10000
	}
	if c.MaxGroups > 65535 {
		c.MaxGroups = 65535
	}
}

func invalid(format string, args ...any) error {
	return vigie.Errorf(vigie.EINVALID, format, args...)
}

// check validates the configuration alone (before reading the input).
func (c *Config) check() error {
	if len(c.Groups) == 0 {
		return invalid("aucune colonne de groupe (--group) / no group column (--group)")
	}
	seen := map[string]bool{}
	for _, g := range c.Groups {
		if strings.TrimSpace(g) == "" {
			return invalid("--group : nom de colonne vide / --group: empty column name")
		}
		if seen[g] {
			return invalid("--group %q donné deux fois / --group %q given twice", g, g)
		}
		seen[g] = true
	}
	if c.Intersect && len(c.Groups) < 2 {
		return invalid("--intersect demande au moins deux --group / --intersect needs at least two --group")
	}
	if c.Intersect && len(c.Groups) > maxIntersect {
		return invalid("--intersect : au plus %d attributs / --intersect: at most %d attributes", maxIntersect, maxIntersect)
	}
	if c.Score == "" {
		return invalid("--score manquant / missing --score")
	}
	if (c.Threshold == nil) == (len(c.Positive) == 0) {
		return invalid("donnez soit --threshold (score numérique) soit --positive (valeurs signalées) / give either --threshold (numeric score) or --positive (flagged values)")
	}
	if c.Threshold != nil && (math.IsNaN(*c.Threshold) || math.IsInf(*c.Threshold, 0)) {
		return invalid("--threshold doit être un nombre fini / --threshold must be a finite number")
	}
	if c.Direction != Adverse && c.Direction != Favourable {
		return invalid("--direction %q : attendu adverse ou favourable / --direction %q: expected adverse or favourable", c.Direction, c.Direction)
	}
	if c.MinN < 0 {
		return invalid("--min-n doit être positif / --min-n must be positive")
	}
	if c.Alpha <= 0 || c.Alpha >= 1 {
		return invalid("alpha doit être entre 0 et 1 / alpha must be between 0 and 1")
	}
	if c.Concentration <= 0 {
		return invalid("la concentration doit être positive / concentration must be positive")
	}
	switch strings.ToLower(c.Encoding) {
	case "", "utf-8", "utf8", "windows-1252", "cp1252", "latin1", "iso-8859-1":
	default:
		return invalid("--encoding %q inconnu (utf-8 ou windows-1252) / unknown --encoding %q (utf-8 or windows-1252)", c.Encoding, c.Encoding)
	}
	switch c.Delimiter {
	case 0, ',', ';', '\t', ' ', '|':
	default:
		return invalid("--delimiter %q non pris en charge (, ; tab | space) / unsupported --delimiter %q (, ; tab | space)", c.Delimiter, c.Delimiter)
	}
	switch c.Reader {
	case ReaderAuto, ReaderParallel, ReaderSequential:
	default:
		return invalid("lecteur %q inconnu / unknown reader %q", c.Reader, c.Reader)
	}
	for a, cuts := range c.Cut {
		if !seen[a] {
			return invalid("--cut %q : ce n'est pas une colonne --group / --cut %q: not a --group column", a, a)
		}
		if len(cuts) == 0 || !sort.Float64sAreSorted(cuts) {
			return invalid("--cut %q : seuils vides ou non croissants / --cut %q: empty or unsorted cuts", a, a)
		}
	}
	for a := range c.Recode {
		if !seen[a] {
			return invalid("--recode %q : ce n'est pas une colonne --group / --recode %q: not a --group column", a, a)
		}
	}
	return nil
}

func normEncoding(e string) string {
	switch strings.ToLower(e) {
	case "utf-8", "utf8":
		return "utf-8"
	case "windows-1252", "cp1252", "latin1", "iso-8859-1":
		return "windows-1252"
	}
	return ""
}
