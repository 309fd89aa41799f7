package view

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/trawlsec/trawl/findings/store"
)

// PageSize is how many findings a dashboard page lists.
const PageSize = 50

// homeLimit is how many top findings the front page lists.
const homeLimit = 20

// ServerOptions configure the dashboard.
type ServerOptions struct {
	// Token, when set, is required of every request: as ?token= once
	// (which sets a cookie) or in the cookie. A dashboard bound beyond the
	// loopback interface needs one.
	Token string
	Log   *slog.Logger
}

// tokenCookie carries the dashboard token after the first request.
const tokenCookie = "trawl_token"

// NewHandler serves the dashboard over a store: the overview at /, the
// findings list with filters at /findings, a finding at /findings/{id},
// jobs at /jobs and findings filters at /rules; and, from its own forms
// only (see actions.go), creates and deletes rules, archives and triages.
func NewHandler(st store.Store, o ServerOptions) http.Handler {
	b := make([]byte, 16)
	rand.Read(b)
	s := &server{st: st, o: o, csrf: hex.EncodeToString(b)}
	if s.o.Log == nil {
		s.o.Log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /findings", s.findings)
	mux.HandleFunc("GET /findings/{id}", s.finding)
	mux.HandleFunc("GET /jobs", s.jobs)
	mux.HandleFunc("GET /rules", s.rules)
	mux.HandleFunc("POST /rules", s.createRule)
	mux.HandleFunc("POST /rules/delete", s.deleteRule)
	mux.HandleFunc("POST /rules/update", s.updateRule)
	mux.HandleFunc("POST /findings/{id}/archive", s.archive(true))
	mux.HandleFunc("POST /findings/{id}/unarchive", s.archive(false))
	mux.HandleFunc("POST /findings/{id}/triage", s.triage)
	return s.guard(mux)
}

type server struct {
	st   store.Store
	o    ServerOptions
	csrf string // every form carries it; see checkWrite
}

// guard sets the headers every page carries and checks the token.
func (s *server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin") // no-referrer would make form posts send "Origin: null"
		h.Set("Cache-Control", "no-store")
		if !s.allowedHost(r.Host) {
			http.Error(w, "trawl dashboard: unknown host name; open it at 127.0.0.1 or localhost", http.StatusMisdirectedRequest)
			return
		}
		if s.o.Token != "" {
			if q := r.URL.Query().Get("token"); q != "" && same(q, s.o.Token) {
				http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: s.o.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
				u := *r.URL
				v := u.Query()
				v.Del("token")
				u.RawQuery = v.Encode()
				http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
				return
			}
			c, err := r.Cookie(tokenCookie)
			if err != nil || !same(c.Value, s.o.Token) {
				http.Error(w, "trawl dashboard: open the address with ?token= that trawl serve printed", http.StatusUnauthorized)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func same(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// render writes a page, or a plain error if rendering failed (the page
// is built in memory first, so a failure never sends half a page).
func (s *server) render(w http.ResponseWriter, code int, name string, p *Page) {
	p.Source = s.st.Location()
	p.CSRF = s.csrf
	var b bytes.Buffer
	if err := Render(&b, name, p); err != nil {
		s.o.Log.Error("render", "page", name, "err", err)
		http.Error(w, "trawl dashboard: the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b.Bytes())
}

func (s *server) fail(w http.ResponseWriter, code int, msg string) {
	s.render(w, code, "error", &Page{Title: "trawl: " + http.StatusText(code), Error: msg})
}

func (s *server) storeFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.o.Log.Error("store", "path", r.URL.Path, "err", err)
	s.fail(w, http.StatusInternalServerError, "The store could not be read: "+err.Error())
}

func (s *server) home(w http.ResponseWriter, r *http.Request) {
	ov, err := FromStore(r.Context(), s.st, store.Query{}, homeLimit)
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "home", &Page{Title: "trawl findings", Overview: ov, Rows: ov.Findings})
}

func (s *server) findings(w http.ResponseWriter, r *http.Request) {
	form := r.URL.Query()
	p := &Page{Title: "trawl findings", Form: form}
	q, err := QueryOf(form, time.Now())
	if err != nil {
		p.Error = err.Error()
		s.render(w, http.StatusBadRequest, "findings", p)
		return
	}
	q.Limit, q.NextToken = PageSize, form.Get("next")
	page, err := s.st.List(r.Context(), q)
	if err != nil {
		// Bad criteria and tokens are the request's fault, not the
		// store's: show them on the form.
		p.Error = err.Error()
		s.render(w, http.StatusBadRequest, "findings", p)
		return
	}
	for _, f := range page.Findings {
		p.Rows = append(p.Rows, RowOf(f))
	}
	if page.NextToken != "" {
		next := url.Values{}
		for k, v := range form {
			next[k] = v
		}
		next.Set("next", page.NextToken)
		p.Next = "/findings?" + next.Encode()
	}
	s.render(w, http.StatusOK, "findings", p)
}

func (s *server) finding(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := s.st.Get(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, http.StatusNotFound, "No finding has this ID in the store (it may have passed its retention).")
		return
	}
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	row := RowOf(f)
	s.render(w, http.StatusOK, "finding", &Page{Title: "trawl finding " + row.ID, Row: &row})
}

func (s *server) jobs(w http.ResponseWriter, r *http.Request) {
	gs, err := s.st.Stats(r.Context(), store.StatsQuery{GroupBy: "classificationDetails.jobId"})
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	sortGroups(gs)
	jobs, err := jobViews(r.Context(), s.st)
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "jobs", &Page{Title: "trawl jobs", Groups: groups(gs), Jobs: jobs})
}

func (s *server) rules(w http.ResponseWriter, r *http.Request) {
	fs, err := s.st.ListFilters(r.Context())
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "rules", &Page{Title: "trawl rules", Filters: fs})
}

// QueryOf reads the findings page's filter form into a store query.
func QueryOf(form url.Values, now time.Time) (store.Query, error) {
	q := store.Query{Criteria: store.Criteria{Criterion: map[string]store.Condition{}}}
	eq := func(field string, vals ...string) {
		var kept []string
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				kept = append(kept, v)
			}
		}
		if len(kept) > 0 {
			q.Criteria.Criterion[field] = store.Condition{Eq: kept}
		}
	}
	if sev := form.Get("severity"); sev != "" {
		if _, ok := severityOrder[sev]; !ok {
			return q, fmt.Errorf("severity %q: use High, Medium or Low", sev)
		}
		eq("severity.description", sev)
	}
	eq("sensitiveData.category", strings.ToUpper(form.Get("category")))
	eq("sensitiveData.detections.type", strings.ToUpper(form.Get("identifier")))
	if form.Has("bucket") && form.Get("bucket") != "" {
		eq("resourcesAffected.s3Bucket.name", form.Get("bucket"))
	}
	eq("classificationDetails.jobId", form.Get("job"))
	if t := form.Get("type"); t != "" {
		if !strings.Contains(t, ":") {
			t = "SensitiveData:S3Object/" + t
		}
		eq("type", t)
	}
	q.KeyPrefix = form.Get("key-prefix")
	if since := strings.TrimSpace(form.Get("since")); since != "" {
		t, err := parseSince(since, now)
		if err != nil {
			return q, err
		}
		q.Criteria.Criterion["createdAt"] = store.Condition{Gte: store.Millis(t)}
	}
	switch form.Get("show") {
	case "":
	case "archived":
		q.Archived = store.ArchivedOnly
	case "all":
		q.Archived = store.All
	default:
		return q, fmt.Errorf("show %q: use archived or all (or nothing: current findings)", form.Get("show"))
	}
	return q, nil
}

// parseSince reads an age (30d, 12h) or an RFC 3339 time.
func parseSince(v string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	bad := fmt.Errorf("since %q: use an age (7d, 12h) or an RFC 3339 time", v)
	if n, ok := strings.CutSuffix(v, "d"); ok {
		days, err := strconv.ParseFloat(n, 64)
		if err != nil || days < 0 || days > 100000 {
			return time.Time{}, bad
		}
		return now.Add(-time.Duration(days * float64(24*time.Hour))), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return time.Time{}, bad
	}
	return now.Add(-d), nil
}
