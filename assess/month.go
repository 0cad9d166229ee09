package assess

import (
	"fmt"
	"time"

	"github.com/vigie-app/vigie/law"
)

// Month writes a month as "mars 2027" or "March 2027".
func Month(l law.Lang, year, month int) string {
	if month < 1 || month > 12 {
		return fmt.Sprintf("%04d-%02d", year, month)
	}
	if l == law.EN {
		return fmt.Sprintf("%s %d", time.Month(month).String(), year)
	}
	return fmt.Sprintf("%s %d", moisFR[month-1], year)
}
