package identifiers

import (
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// githubBase62 is the order of GitHub's checksum digits.
const githubBase62 = digits + upper + lower

// githubToken builds a GitHub token of the given prefix: thirty random
// base62 characters and their CRC32, written in base62 in six characters.
func githubToken(r *rand.Rand, prefix string) string {
	body := randFrom(r, base62, 30)
	sum := crc32.ChecksumIEEE([]byte(body))
	var enc [6]byte
	for i := 5; i >= 0; i-- {
		enc[i] = githubBase62[sum%62]
		sum /= 62
	}
	return prefix + body + string(enc[:])
}

// secretCases are the cases of the TRAWL_ secrets, from a generator of
// their own.
func secretCases() map[string]idCases {
	r := NewCorpusRand(7)
	all := map[string]idCases{}
	{
		ghp, gho, ghs := githubToken(r, "ghp_"), githubToken(r, "gho_"), githubToken(r, "ghs_")
		pat := "github_pat_" + randFrom(r, base62, 22) + "_" + randFrom(r, base62, 59)
		all["TRAWL_GITHUB_TOKEN"] = idCases{[]idCase{
			c("personal access token", "GITHUB_TOKEN="+mark(ghp)),
			c("OAuth token in JSON", `{"access_token": "`+mark(gho)+`"}`),
			c("server-to-server token in a URL", "https://x-access-token:"+mark(ghs)+"@github.com/o/r.git"),
			c("refresh and user tokens", mark(githubToken(r, "ghr_"))+" "+mark(githubToken(r, "ghu_"))),
			c("fine-grained token", "token: "+mark(pat)),
		}, []idCase{
			c("checksum fails", "GITHUB_TOKEN="+breakLast(ghp, githubBase62)),
			c("unknown prefix", "ghx_"+ghp[4:]),
			c("glued to a word", "xghp_"+ghp[4:]),
			c("longer token", ghp+"A"),
			c("fine-grained token too short", "token: "+pat[:len(pat)-1]),
			c("example in docs", "ghp_abcdefghijklmnopqrstuvwxyzABCD012345"),
		}}
	}
	{
		bot := "xoxb-" + randFrom(r, digits, 11) + "-" + randFrom(r, digits, 13) + "-" + randFrom(r, base62, 24)
		user := "xoxp-" + randFrom(r, digits, 11) + "-" + randFrom(r, digits, 11) + "-" + randFrom(r, digits, 13) + "-" + randFrom(r, "0123456789abcdef", 32)
		app := "xapp-1-A" + randFrom(r, digits+upper, 10) + "-" + randFrom(r, digits, 13) + "-" + randFrom(r, "0123456789abcdef", 64)
		all["TRAWL_SLACK_TOKEN"] = idCases{[]idCase{
			c("bot token", "SLACK_BOT_TOKEN="+mark(bot)),
			c("user token", `slack_token: "`+mark(user)+`"`),
			c("app-level token", "export SLACK_APP_TOKEN="+mark(app)),
			c("legacy workspace token", "token "+mark("xoxa-2-"+randFrom(r, digits, 12)+"-"+randFrom(r, digits, 12)+"-"+randFrom(r, base62, 32))),
		}, []idCase{
			c("placeholder secret", "SLACK_BOT_TOKEN=xoxb-000000000000-000000000000-XXXXXXXXXXXXXXXXXXXXXXXX"),
			c("no numeric IDs", "xoxb-"+randFrom(r, base62, 24)),
			c("unknown type", "xoxz-"+bot[5:]),
			c("glued to a word", "a"+bot),
			c("app token with a short secret", "xapp-1-A"+randFrom(r, digits+upper, 10)+"-"+randFrom(r, digits, 13)+"-"+randFrom(r, "0123456789abcdef", 40)),
		}}
	}
	{
		id := "AKIA" + randFrom(r, upper, 8) + "7" + randFrom(r, upper+"234567", 7)
		tmp := "ASIA" + randFrom(r, upper+"234567", 6) + "2" + randFrom(r, upper+"234567", 9)
		all["TRAWL_AWS_ACCESS_KEY_ID"] = idCases{[]idCase{
			c("bare key ID", mark(id)),
			c("ini file", "[default]\naws_access_key_id = "+mark(id)+"\n"),
			c("temporary key in JSON", `{"AccessKeyId": "`+mark(tmp)+`"}`),
		}, []idCase{
			c("AWS's documentation key ID", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"),
			c("all letters", "ASIAPACIFICREGIONALS"),
			c("too long", id+"Q"),
			c("glued to a word", "X"+id),
			c("other prefix", "AKIB"+id[4:]),
			c("too short", id[:19]),
		}}
	}
	{
		all["TRAWL_PASSWORD_ASSIGNMENT"] = idCases{[]idCase{
			c("quoted in code", `db = connect(user="app", `+mark(`password="Tr0ub4dor&3"`)+`)`),
			c("environment file", "DB_"+mark("PASSWORD=hunter2x9Q")+"\n"),
			c("YAML", "db:\n  "+mark(`password: 'correct-horse-7'`)+"\n"),
			c("JSON", `{"user": "app", "`+mark(`password": "s3cr3t-Pa55"`)+`}`),
			c("Go", mark(`pwd := "9vJ!k2qLx"`)),
			c("passwd", mark("passwd=Xk2#p9Lm")+" "),
		}, []idCase{
			c("template", `password = "${DB_PASSWORD}"`),
			c("environment variable", "PASSWORD=$DB_PASS"),
			c("code", "password = request.form['password']"),
			c("dotted name", "password = config.database.pass"),
			c("shell's working directory", "PWD=/home/user/project"),
			c("placeholder", `password: "changeme"`),
			c("stars", `password: "********"`),
			c("prose", "Password: Use a strong one"),
			c("too few distinct characters", `password = "aaaaaaa1"`),
			c("schema", "password: string"),
			c("name inside a word", `mypassword="Tr0ub4dor&3"`),
			c("plural", `passwords = "Tr0ub4dor&3"`),
			c("letters only, unquoted", "password=Passwordless"),
		}}
	}
	return all
}

// TestSecretsAreTrawls: the TRAWL_ identifiers are credentials outside
// RECOMMENDED; ALL and SECRETS take them in, SECRETS nothing else.
func TestSecretsAreTrawls(t *testing.T) {
	var trawl []string
	for _, id := range Managed() {
		if id.BeyondMacie != strings.HasPrefix(id.ID, trawlPrefix) {
			t.Errorf("%s: BeyondMacie %v disagrees with its ID", id.ID, id.BeyondMacie)
		}
		if id.BeyondMacie {
			trawl = append(trawl, id.ID)
			if id.Category != Credentials || id.Recommended || id.Severity != AlwaysHigh {
				t.Errorf("%s: category %s, recommended %v, severity %v", id.ID, id.Category, id.Recommended, id.Severity)
			}
		}
	}
	trawl = slices.Compact(trawl)
	if len(trawl) < 4 {
		t.Fatalf("%d TRAWL_ identifiers, want 4 or more", len(trawl))
	}
	ids := func(sel Selector) []string {
		list, err := Select(sel, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, id := range list {
			out = append(out, id.ID)
		}
		return slices.Compact(out)
	}
	for _, id := range ids(SelectRecommended) {
		if strings.HasPrefix(id, trawlPrefix) {
			t.Errorf("RECOMMENDED holds %s", id)
		}
	}
	if got := ids(SelectSecrets); !slices.Equal(got, trawl) {
		t.Errorf("SECRETS = %v, want %v", got, trawl)
	}
	all := ids(SelectAll)
	for _, id := range trawl {
		if !slices.Contains(all, id) {
			t.Errorf("ALL lacks %s", id)
		}
	}
	if sel, err := ParseSelector("secrets"); err != nil || sel != SelectSecrets {
		t.Errorf("ParseSelector(secrets) = %q, %v", sel, err)
	}
	inc, err := Select(SelectRecommended, []string{"trawl_github_token"}, nil)
	if err != nil || !slices.ContainsFunc(inc, func(id *Identifier) bool { return id.ID == "TRAWL_GITHUB_TOKEN" }) {
		t.Errorf("RECOMMENDED plus an included TRAWL_ ID: %v", err)
	}
}

// TestGitHubChecksum: the checksum is the base62 CRC32 of the thirty
// characters after the prefix; any one changed character fails it.
func TestGitHubChecksum(t *testing.T) {
	r := NewCorpusRand(11)
	for i := range 200 {
		tok := githubToken(r, "ghp_")
		if !validate(validGitHubToken, tok) {
			t.Fatalf("token %d: valid checksum rejected", i)
		}
		b := []byte(tok)
		k := 4 + r.IntN(36)
		b[k] = githubBase62[(strings.IndexByte(githubBase62, b[k])+1+r.IntN(61))%62]
		if validate(validGitHubToken, string(b)) {
			t.Errorf("token %d: changed at %d, still accepted", i, k)
		}
	}
}
