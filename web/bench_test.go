package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// BenchmarkRegisterList measures the register's list page (one page of
// PageSize systems, with its filters) over 10 000 systems in SQLite.
//
//	go test ./web -run '^$' -bench RegisterList -benchtime 200x
func BenchmarkRegisterList(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Fédération")
	var wps []*vigie.Workplace
	for i := range 10 {
		wp := &vigie.Workplace{OrgID: org.ID, Name: fmt.Sprintf("Établissement %d", i), Kind: "private"}
		if err := e.db.CreateWorkplace(ctx, wp); err != nil {
			b.Fatal(err)
		}
		wps = append(wps, wp)
	}
	statuses := vigie.Enums["deployment.status"]
	domains := vigie.Enums["purpose.domains"]
	const n = 10000
	for start := 0; start < n; start += 1000 {
		var batch []*vigie.SystemRecord
		for i := start; i < start+1000; i++ {
			batch = append(batch, &vigie.SystemRecord{OrgID: org.ID, WorkplaceID: wps[i%len(wps)].ID, System: vigie.System{
				Schema: vigie.SystemSchema, Name: fmt.Sprintf("Système %05d", i), Vendor: fmt.Sprintf("Fournisseur %d", i%37),
				Description:  "Outil d'analyse " + strings.Repeat("des appels ", i%5),
				Deployment:   vigie.Deployment{Status: statuses[i%len(statuses)], WorkersAffected: vigie.IntOf(i % 500), StaffBodyConsulted: vigie.Tri(i % 3)},
				Purpose:      vigie.Purpose{Domains: vigie.SetOf(domains[i%len(domains)], domains[(i+3)%len(domains)])},
				Capabilities: vigie.Capabilities{EmotionRecognition: vigie.Tri(i % 3), Profiling: vigie.TriTrue},
				Work:         vigie.Work{SurveillanceFelt: vigie.IntOf(i % 4)},
			}})
		}
		if err := e.db.ImportSystems(ctx, org.ID, batch); err != nil {
			b.Fatal(err)
		}
	}
	cookie := e.login(admin.Email)
	for _, bc := range []struct{ name, query string }{
		{"first-page", ""},
		{"page-100", "?page=100"},
		{"filtered", "?status=deployed&domain=monitoring&workplace=" + wps[3].ID},
		{"search", "?q=Fournisseur+12"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/o/"+org.ID+"/systems"+bc.query, nil)
			req.Header.Set("Cookie", cookie)
			var size int
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				e.srv.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
	}
}
