package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trawlsec/trawl/findings/store"
	fview "github.com/trawlsec/trawl/findings/view"
)

// dashboard serves the dashboard over a store filled by a real scan of
// hostileFiles.
func dashboard(t *testing.T, token string) (*httptest.Server, []string) {
	t.Helper()
	srv, values, _ := dashboardDB(t, token)
	return srv, values
}

// dashboardDB is dashboard, with the store's file.
func dashboardDB(t *testing.T, token string) (*httptest.Server, []string, string) {
	t.Helper()
	dir, values := hostileFiles(t)
	_, db := reportFromScan(t, dir)
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(fview.NewHandler(st, fview.ServerOptions{Token: token}))
	t.Cleanup(srv.Close)
	return srv, values, db
}

func fetch(t *testing.T, c *http.Client, addr string) (int, string, http.Header) {
	t.Helper()
	resp, err := c.Get(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

var findingLink = regexp.MustCompile(`href="/findings/([0-9a-f]{32})"`)

func TestDashboardPages(t *testing.T) {
	srv, values := dashboard(t, "")
	c := srv.Client()
	var all strings.Builder

	code, home, h := fetch(t, c, srv.URL+"/")
	all.WriteString(home)
	if code != 200 || !strings.Contains(home, `id="total">6<`) || !strings.Contains(home, "PERSONAL_INFORMATION") {
		t.Errorf("/: %d, total or categories missing", code)
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("security headers: %q", csp)
	}

	code, list, _ := fetch(t, c, srv.URL+"/findings?identifier=credit_card_number")
	all.WriteString(list)
	if code != 200 || strings.Count(list, "<tr data-severity=") != 2 {
		t.Errorf("/findings?identifier=: %d, %d rows; want 2", code, strings.Count(list, "<tr data-severity="))
	}
	code, list, _ = fetch(t, c, srv.URL+"/findings?key-prefix=hr/")
	if code != 200 || strings.Count(list, "<tr data-severity=") != 1 || !strings.Contains(list, `value="hr/"`) {
		t.Errorf("/findings?key-prefix=hr/: %d, %d rows; want 1 and the form kept", code, strings.Count(list, "<tr data-severity="))
	}
	m := findingLink.FindStringSubmatch(list)
	if m == nil {
		t.Fatal("no finding link in the list")
	}
	code, detail, _ := fetch(t, c, srv.URL+"/findings/"+m[1])
	all.WriteString(detail)
	if code != 200 || !strings.Contains(detail, "hr/people.txt") || !strings.Contains(detail, "Sightings") || !strings.Contains(detail, "line 1, column 6") {
		t.Errorf("/findings/ID: %d, object, sightings or location missing", code)
	}
	code, jobs, _ := fetch(t, c, srv.URL+"/jobs")
	if code != 200 || !regexp.MustCompile(`/findings\?job=[0-9a-f]{32}`).MatchString(jobs) {
		t.Errorf("/jobs: %d, no job link", code)
	}
	code, rules, _ := fetch(t, c, srv.URL+"/rules")
	if code != 200 || !strings.Contains(rules, "No findings filters") {
		t.Errorf("/rules: %d", code)
	}

	// Bad input is a page that says what is wrong, never a crash.
	for path, want := range map[string]int{
		"/findings?severity=Huge":                       400,
		"/findings?since=yesterday":                     400,
		"/findings?show=deleted":                        400,
		"/findings?next=%ff%fe":                         400,
		"/findings/0123456789abcdef0123456789abcdef":    404,
		"/findings/%3Cscript%3Ealert(1)%3C%2Fscript%3E": 404,
		"/nowhere": 404,
	} {
		code, body, _ := fetch(t, c, srv.URL+path)
		all.WriteString(body)
		if code != want {
			t.Errorf("%s: %d, want %d", path, code, want)
		}
	}
	resp, err := c.Post(srv.URL+"/findings", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /findings: %d, want 405: the dashboard only reads", resp.StatusCode)
	}

	page := all.String()
	if strings.Contains(page, "<script>alert") || strings.Contains(page, `q"uo'te`) {
		t.Error("a hostile key reached a page unescaped")
	}
	for _, v := range values {
		if strings.Contains(page, v) {
			t.Error("a page shows a matched value")
		}
	}
}

func TestDashboardToken(t *testing.T) {
	srv, _ := dashboard(t, "s3cret")
	c := srv.Client()
	if code, _, _ := fetch(t, c, srv.URL+"/findings"); code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", code)
	}
	if code, _, _ := fetch(t, c, srv.URL+"/?token=wrong"); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d, want 401", code)
	}
	jar := &cookieJar{}
	c.Jar = jar
	code, body, _ := fetch(t, c, srv.URL+"/?token=s3cret")
	if code != 200 || !strings.Contains(body, `id="total">6<`) {
		t.Errorf("with the token: %d", code)
	}
	if code, _, _ := fetch(t, c, srv.URL+"/findings"); code != 200 {
		t.Errorf("with the cookie: %d, want 200", code)
	}
}

// cookieJar keeps cookies for one test server.
type cookieJar struct{ cs []*http.Cookie }

func (j *cookieJar) SetCookies(_ *url.URL, cs []*http.Cookie) { j.cs = append(j.cs, cs...) }
func (j *cookieJar) Cookies(_ *url.URL) []*http.Cookie        { return j.cs }

// TestServeCommand runs trawl serve as a user does: on a free port it
// prints its address; beyond the loopback interface it prints a token.
func TestServeCommand(t *testing.T) {
	dir, _ := storeFiles(t)
	_, db := reportFromScan(t, dir)
	for _, tc := range []struct {
		listen    string
		wantToken bool
	}{{"127.0.0.1:0", false}, {"0.0.0.0:0", true}} {
		cmd := exec.Command(trawlBin, "serve", "--store", db, "--listen", tc.listen)
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stderr).ReadString('\n')
		if err != nil {
			cmd.Process.Kill()
			t.Fatalf("serve %s: %v", tc.listen, err)
		}
		m := regexp.MustCompile(`at (http://\S+/)(\?token=[0-9a-f]{32})? `).FindStringSubmatch(line)
		if m == nil || (m[2] != "") != tc.wantToken {
			cmd.Process.Kill()
			t.Fatalf("serve %s printed %q", tc.listen, line)
		}
		base := strings.Replace(m[1], "0.0.0.0", "127.0.0.1", 1)
		c := &http.Client{Timeout: 10 * time.Second, Jar: &cookieJar{}}
		code, body, _ := fetch(t, c, base+m[2])
		if code != 200 || !strings.Contains(body, `id="total">3<`) {
			t.Errorf("serve %s: GET %d", tc.listen, code)
		}
		if tc.wantToken {
			if code, _, _ := fetch(t, &http.Client{}, base); code != http.StatusUnauthorized {
				t.Errorf("serve %s without the token: %d, want 401", tc.listen, code)
			}
		}
		cmd.Process.Signal(os.Interrupt)
		if err := cmd.Wait(); err != nil {
			t.Errorf("serve %s did not stop cleanly on interrupt: %v", tc.listen, err)
		}
	}
	if r := trawl(t, nil, "serve", "--listen", "nonsense", "--store", db); r.code != 2 || !strings.Contains(r.stderr, "HOST:PORT") {
		t.Errorf("bad --listen: exit %d, %q", r.code, r.stderr)
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]{32})"`)

// TestDashboardWritesNeedTheirOwnPage checks the defences against
// cross-site request forgery and DNS rebinding, and that each write does
// what it says.
func TestDashboardWritesNeedTheirOwnPage(t *testing.T) {
	srv, _, db := dashboardDB(t, "")
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	_, page, _ := fetch(t, c, srv.URL+"/findings?identifier=CREDIT_CARD_NUMBER")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token in the rule form")
	}
	post := func(path string, form url.Values, hdr map[string]string) int {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			if k == "Host" {
				req.Host = v
				continue
			}
			req.Header.Set(k, v)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	rule := url.Values{"name": {"cards"}, "identifier": {"CREDIT_CARD_NUMBER"}, "apply": {"on"}}
	for name, tc := range map[string]struct {
		form url.Values
		hdr  map[string]string
		want int
	}{
		"no token":         {rule, nil, 403},
		"wrong token":      {with(rule, "csrf", strings.Repeat("0", 32)), nil, 403},
		"cross-site fetch": {with(rule, "csrf", m[1]), map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		"foreign origin":   {with(rule, "csrf", m[1]), map[string]string{"Origin": "http://evil.example"}, 403},
		"null origin":      {with(rule, "csrf", m[1]), map[string]string{"Origin": "null"}, 403},
		"rebound host":     {with(rule, "csrf", m[1]), map[string]string{"Host": "evil.example:80"}, 421},
		"no criteria":      {url.Values{"csrf": {m[1]}, "name": {"all"}}, nil, 400},
		"key prefix":       {url.Values{"csrf": {m[1]}, "name": {"pre"}, "key-prefix": {"hr/"}}, nil, 400},
	} {
		if got := post("/rules", tc.form, tc.hdr); got != tc.want {
			t.Errorf("%s: %d, want %d", name, got, tc.want)
		}
	}
	if l := listJSON(t, "--store", db); len(l.Findings) != 6 {
		t.Fatalf("a refused request changed the store: %d current findings", len(l.Findings))
	}
	if got := post("/rules", with(rule, "csrf", m[1]), map[string]string{"Origin": srv.URL, "Sec-Fetch-Site": "same-origin"}); got != 303 {
		t.Fatalf("the page's own rule: %d, want 303", got)
	}
	if l := listJSON(t, "--store", db); len(l.Findings) != 4 {
		t.Errorf("after the rule: %d current findings, want 4", len(l.Findings))
	}
	code, _, _ := fetch(t, c, srv.URL+"/rules")
	if code != 200 {
		t.Errorf("/rules: %d", code)
	}
	id := findingLink.FindStringSubmatch(page)[1]
	if got := post("/findings/"+id+"/unarchive", url.Values{"csrf": {m[1]}}, nil); got != 303 {
		t.Errorf("unarchive: %d", got)
	}
	if got := post("/findings/"+id+"/triage", url.Values{"csrf": {m[1]}, "status": {"maybe"}}, nil); got != 400 {
		t.Errorf("unknown triage status: %d, want 400", got)
	}
	if got := post("/findings/0123456789abcdef0123456789abcdef/archive", url.Values{"csrf": {m[1]}}, nil); got != 404 {
		t.Errorf("archive an unknown finding: %d, want 404", got)
	}
	if got := post("/rules/update", url.Values{"csrf": {m[1]}, "name": {"cards"}, "action": {"NOOP"}, "description": {"<b>test</b> cards"}}, nil); got != 303 {
		t.Errorf("update the rule: %d", got)
	}
	for _, bad := range []struct {
		form url.Values
		want int
	}{
		{url.Values{"csrf": {m[1]}, "name": {"cards"}, "action": {"DROP"}}, 400},
		{url.Values{"csrf": {m[1]}, "name": {"cards"}, "position": {"first"}}, 400},
		{url.Values{"csrf": {m[1]}, "name": {"cards"}, "criteria": {`{"criterion":{"colour":{"eq":["red"]}}}`}}, 400},
		{url.Values{"name": {"cards"}, "action": {"NOOP"}}, 403},
	} {
		if got := post("/rules/update", bad.form, nil); got != bad.want {
			t.Errorf("update %v: %d, want %d", bad.form, got, bad.want)
		}
	}
	if got := post("/rules/update", url.Values{"csrf": {m[1]}, "name": {"nope"}, "action": {"NOOP"}}, nil); got != 404 {
		t.Errorf("update an unknown rule: %d, want 404", got)
	}
	// The criteria are edited as the page shows them: Macie's JSON.
	if got := post("/rules/update", url.Values{"csrf": {m[1]}, "name": {"cards"},
		"criteria": {`{"criterion":{"severity.description":{"eq":["Low"]}}}`}}, nil); got != 303 {
		t.Errorf("update the rule's criteria: %d", got)
	}
	if _, page, _ := fetch(t, c, srv.URL+"/rules"); !strings.Contains(page, "severity.description") || !strings.Contains(page, "Low") {
		t.Error("/rules does not show the rule's new criteria")
	}
	_, rules, _ := fetch(t, c, srv.URL+"/rules")
	if !strings.Contains(rules, "<td>NOOP</td>") || !strings.Contains(rules, "&lt;b&gt;test&lt;/b&gt; cards") {
		t.Error("/rules does not show the updated rule, escaped")
	}
	if got := post("/rules/delete", url.Values{"csrf": {m[1]}, "name": {"cards"}}, nil); got != 303 {
		t.Errorf("delete the rule: %d", got)
	}
	if got := post("/rules/delete", url.Values{"csrf": {m[1]}, "name": {"cards"}}, nil); got != 404 {
		t.Errorf("delete it again: %d, want 404", got)
	}
	if l := listJSON(t, "--store", db); len(l.Findings) != 5 {
		t.Errorf("after unarchiving one: %d current findings, want 5", len(l.Findings))
	}
}

func with(v url.Values, k, val string) url.Values {
	out := url.Values{}
	for kk, vv := range v {
		out[kk] = vv
	}
	out.Set(k, val)
	return out
}
