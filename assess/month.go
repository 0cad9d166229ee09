package assess

import (
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

// Month writes a month as "mars 2027" or "March 2027".
func Month(l law.Lang, year, month int) string {
	return vigie.MonthWords(string(l), year, time.Month(month))
}
