package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
)

// Membership by consent: an admin invites an address with a role (the
// page that follows says the same whether or not the address has an
// account: nothing here looks for one), the holder of an account with
// that address accepts or declines from their account page, and only
// acceptance makes them a member.

// handleInvite invites an address to the organisation (admin only).
func (s *Server) handleInvite(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	d := &membersData{Email: strings.TrimSpace(strings.ToLower(r.PostForm.Get("email"))), Role: r.PostForm.Get("role")}
	l := s.loc(r)
	if !vigie.Role(d.Role).Valid() {
		d.Error = l.T("members.role") + " : " + l.T("err.choice")
		s.membersPage(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	if !plausibleEmail(d.Email) {
		d.Error = l.T("members.email") + " : " + l.T("err.email")
		s.membersPage(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	if _, err := s.cfg.Orgs.Invite(r.Context(), currentOrg(r).ID, d.Email, vigie.Role(d.Role)); err != nil {
		if vigie.ErrorCode(err) == vigie.EINVALID {
			d.Error = l.T("members.email") + " : " + l.T("err.email")
			s.membersPage(w, r, http.StatusUnprocessableEntity, d)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.invited")
	http.Redirect(w, r, "/o/"+currentOrg(r).ID+"/members", http.StatusSeeOther)
}

// plausibleEmail is the check of an address typed in a form: one line,
// an @, no space nor angle bracket.
func plausibleEmail(e string) bool {
	at := strings.IndexByte(e, '@')
	return at > 0 && at < len(e)-1 && len(e) <= 254 && !strings.ContainsAny(e, " <>,;") && vigie.CheckLine(e) == nil
}

// handleInvitationRevoke withdraws a pending invitation (admin only); an
// invitation of another organisation is not found.
func (s *Server) handleInvitationRevoke(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Orgs.RevokeInvitation(r.Context(), currentOrg(r).ID, chi.URLParam(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.invitation.revoked")
	http.Redirect(w, r, "/o/"+currentOrg(r).ID+"/members", http.StatusSeeOther)
}

// handleInvitationAccept makes the user a member with the invitation's
// role and takes them to the organisation's register.
func (s *Server) handleInvitationAccept(w http.ResponseWriter, r *http.Request) {
	inv, err := s.cfg.Orgs.AcceptInvitation(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.invitation.accepted")
	http.Redirect(w, r, "/o/"+inv.OrgID+"/systems", http.StatusSeeOther)
}

// handleInvitationDecline refuses an invitation.
func (s *Server) handleInvitationDecline(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Orgs.DeclineInvitation(r.Context(), chi.URLParam(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "flash.invitation.declined")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}
