package view

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/trawlsec/trawl/findings/store"
)

// The dashboard's writes: suppression rules (Macie's findings filters),
// archive and triage. Each is a POST from one of its own forms, checked
// three ways against cross-site request forgery: the form carries the
// server's CSRF token (a page of another site cannot read it), the
// browser's Origin or Sec-Fetch-Site must say same-origin when sent, and
// the Host must be the dashboard's own (a DNS rebinding attack reaches a
// loopback server under a foreign name).

// checkWrite refuses a state-changing request that did not come from the
// dashboard's own page.
func (s *server) checkWrite(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		s.fail(w, http.StatusBadRequest, "The form could not be read.")
		return false
	}
	if !same(r.PostForm.Get("csrf"), s.csrf) {
		s.fail(w, http.StatusForbidden, "This request did not come from the dashboard's own page (CSRF token missing or wrong): reload the page and try again.")
		return false
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		s.fail(w, http.StatusForbidden, "Cross-site request refused.")
		return false
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || u.Host != r.Host {
			s.fail(w, http.StatusForbidden, "Cross-origin request refused.")
			return false
		}
	}
	return true
}

// allowedHost says whether a request's Host names this server: any host
// with a token, else a loopback name or address (DNS rebinding defence).
func (s *server) allowedHost(host string) bool {
	if s.o.Token != "" {
		return true
	}
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// back redirects to the page the form came from, or to fallback.
func back(w http.ResponseWriter, r *http.Request, fallback string) {
	to := r.PostForm.Get("back")
	if !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") || strings.ContainsAny(to, "\\\r\n") {
		to = fallback
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// createRule makes a findings filter from the findings page's filters.
func (s *server) createRule(w http.ResponseWriter, r *http.Request) {
	if !s.checkWrite(w, r) {
		return
	}
	form := r.PostForm
	q, err := QueryOf(form, time.Now())
	if err == nil && q.KeyPrefix != "" {
		err = errors.New("a rule cannot hold a key prefix (Macie's criteria have no prefix operator): use a bucket or other fields")
	}
	if err == nil && len(q.Criteria.Criterion) == 0 {
		err = errors.New("a rule needs at least one filter: a rule without criteria would match every finding")
	}
	action := form.Get("action")
	if action == "" {
		action = "ARCHIVE"
	}
	var n int64
	if err == nil {
		_, n, err = s.st.CreateFilter(r.Context(), store.Filter{
			Name: strings.TrimSpace(form.Get("name")), Action: action,
			Description: form.Get("description"), FindingCriteria: q.Criteria,
		}, form.Get("apply") == "on")
	}
	if err != nil {
		s.fail(w, http.StatusBadRequest, "The rule was not created: "+err.Error())
		return
	}
	s.o.Log.Info("rule created", "name", form.Get("name"), "archived", n)
	http.Redirect(w, r, "/rules", http.StatusSeeOther)
}

// updateRule changes a rule's action, description, position or criteria
// (Macie's FindingCriteria JSON, as the page shows it).
func (s *server) updateRule(w http.ResponseWriter, r *http.Request) {
	if !s.checkWrite(w, r) {
		return
	}
	form := r.PostForm
	var u store.FilterUpdate
	if v := form.Get("action"); v != "" {
		u.Action = &v
	}
	if form.Has("description") {
		v := form.Get("description")
		u.Description = &v
	}
	if v := form.Get("position"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 {
			s.fail(w, http.StatusBadRequest, "The rule was not changed: position must be a whole number from 1.")
			return
		}
		u.Position = &p
	}
	if v := strings.TrimSpace(form.Get("criteria")); v != "" {
		c, err := store.ParseCriteria(v)
		if err != nil {
			s.fail(w, http.StatusBadRequest, "The rule was not changed: "+err.Error())
			return
		}
		u.FindingCriteria = &c
	}
	_, _, err := s.st.UpdateFilter(r.Context(), form.Get("name"), u, false)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, http.StatusNotFound, "No rule has this name.")
		return
	}
	if err != nil {
		s.fail(w, http.StatusBadRequest, "The rule was not changed: "+err.Error())
		return
	}
	http.Redirect(w, r, "/rules", http.StatusSeeOther)
}

func (s *server) deleteRule(w http.ResponseWriter, r *http.Request) {
	if !s.checkWrite(w, r) {
		return
	}
	err := s.st.DeleteFilter(r.Context(), r.PostForm.Get("name"))
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, http.StatusNotFound, "No rule has this name.")
		return
	}
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/rules", http.StatusSeeOther)
}

// archive archives or unarchives one finding by hand.
func (s *server) archive(archived bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.checkWrite(w, r) {
			return
		}
		id := r.PathValue("id")
		_, err := s.st.SetArchived(r.Context(), []string{id}, archived)
		if errors.Is(err, store.ErrNotFound) {
			s.fail(w, http.StatusNotFound, "No finding has this ID in the store.")
			return
		}
		if err != nil {
			s.storeFailed(w, r, err)
			return
		}
		back(w, r, "/findings/"+url.PathEscape(id))
	}
}

func (s *server) triage(w http.ResponseWriter, r *http.Request) {
	if !s.checkWrite(w, r) {
		return
	}
	id := r.PathValue("id")
	by := "dashboard"
	if u, err := user.Current(); err == nil {
		by = u.Username
	}
	err := s.st.SetTriage(r.Context(), id, store.Triage{Status: r.PostForm.Get("status"), Note: r.PostForm.Get("note"), By: by, At: time.Now().UTC()})
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, http.StatusNotFound, "No finding has this ID in the store.")
		return
	}
	if err != nil {
		s.fail(w, http.StatusBadRequest, "Triage not recorded: "+err.Error())
		return
	}
	http.Redirect(w, r, "/findings/"+url.PathEscape(id), http.StatusSeeOther)
}
