package s3source

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
	"github.com/trawlsec/trawl/internal/miniotest"
	"github.com/trawlsec/trawl/scanner"
)

// ssnLine holds one US social security number near its keyword.
func ssnLine(i int) string { return fmt.Sprintf("row %d ssn: 234-56-%04d\n", i, 1000+i) }

// clientFor returns a trawl client for endpoint (MinIO or a proxy in front
// of it), with short backoffs so fault tests stay quick.
func clientFor(t testing.TB, srv *miniotest.Server, endpoint string) *s3.Client {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", srv.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", srv.SecretKey)
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	c, err := NewClient(context.Background(), ClientOptions{
		Region: srv.Region, EndpointURL: endpoint, PathStyle: true, MaxBackoff: 50 * time.Millisecond,
		HTTPClient: srv.HTTPClient,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testScanner(t testing.TB, workers int) *scanner.Scanner {
	t.Helper()
	ids, err := identifiers.Select(identifiers.SelectAll, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := identifiers.NewEngine(ids)
	if err != nil {
		t.Fatal(err)
	}
	return &scanner.Scanner{Engine: e, Workers: workers, Text: formats.DefaultTextOptions, Limits: scanner.DefaultLimits,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// scanAll scans src and returns the results by key; a key seen twice
// fails the test.
func scanAll(t *testing.T, sc *scanner.Scanner, src scanner.Source) (map[string]*findings.Result, []string) {
	t.Helper()
	got := map[string]*findings.Result{}
	var order []string
	err := sc.Run(context.Background(), src, func(r *findings.Result) error {
		if _, dup := got[r.Object.Key]; dup {
			t.Errorf("%s has two results", r.Object.Key)
		}
		got[r.Object.Key] = r
		order = append(order, r.Object.Key)
		return nil
	})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return got, order
}

func count(r *findings.Result, id string) int {
	for _, t := range r.Types {
		if t.Identifier.ID == id {
			return t.Count
		}
	}
	return 0
}

func status(r *findings.Result) string {
	if r == nil {
		return "no result"
	}
	return string(r.Status) + " " + string(r.Reason)
}

// TestMinIO runs the source against a real MinIO: one server, many cases.
func TestMinIO(t *testing.T) {
	srv := miniotest.Start(t)
	ctx := context.Background()
	admin := srv.Client()

	t.Run("ListInKeyOrderWithPrefixAndPages", func(t *testing.T) {
		b := srv.Bucket(t, "list")
		keys := []string{"a/1.txt", "a-b.txt", "a/2.txt", "b/x.txt", "a/sub/3.txt"}
		for _, k := range keys {
			srv.Put(t, b, k, []byte(ssnLine(1)))
		}
		srv.Put(t, b, "a/empty-folder/", nil)
		src := &Source{Client: clientFor(t, srv, srv.Endpoint), Bucket: b, Prefix: "a", PageSize: 2}
		var got []string
		if err := src.List(ctx, func(o scanner.Object, err error) error {
			if err != nil {
				t.Errorf("%s: %v", o.Key, err)
			}
			if o.Size != int64(len(ssnLine(1))) || o.ETag == "" || strings.Contains(o.ETag, `"`) || o.LastModified.IsZero() {
				t.Errorf("%s: size %d etag %q modified %v", o.Key, o.Size, o.ETag, o.LastModified)
			}
			got = append(got, o.Key)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		want := "a-b.txt a/1.txt a/2.txt a/sub/3.txt" // byte order; folder markers left out
		if strings.Join(got, " ") != want {
			t.Errorf("listed %q, want %q", got, want)
		}
	})

	t.Run("ScanFindsAndMetadata", func(t *testing.T) {
		b := srv.Bucket(t, "scan")
		var text strings.Builder
		for i := range 50 {
			text.WriteString(ssnLine(i))
		}
		srv.Put(t, b, "people.txt", []byte(text.String()), func(in *s3.PutObjectInput) { in.Tagging = aws.String("owner=hr") })
		srv.Put(t, b, "clean.txt", []byte("nothing to see here\n"), func(in *s3.PutObjectInput) { in.Tagging = aws.String("owner=ops") })
		srv.Put(t, b, "kms.txt", []byte(ssnLine(1)), func(in *s3.PutObjectInput) { in.ServerSideEncryption = types.ServerSideEncryptionAwsKms })
		srv.Put(t, b, "sse-s3.txt", []byte(ssnLine(1)), func(in *s3.PutObjectInput) { in.ServerSideEncryption = types.ServerSideEncryptionAes256 })
		odd := "dir with space/ünïcode+plus&amp%20.txt"
		srv.Put(t, b, odd, []byte(ssnLine(2)))
		srv.Put(t, b, "client-side.txt", []byte("opaque"), func(in *s3.PutObjectInput) {
			in.Metadata = map[string]string{"x-amz-key-v2": "AAAA", "x-amz-cek-alg": "AES/GCM/NoPadding"}
		})
		xlsx, err := os.ReadFile("../../testdata/formats/office/sheet.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		srv.Put(t, b, "sheet.xlsx", xlsx)
		res, _ := scanAll(t, testScanner(t, 2), &Source{Client: clientFor(t, srv, srv.Endpoint), Bucket: b})
		if r := res["people.txt"]; r == nil || r.Status != findings.Complete || count(r, "USA_SOCIAL_SECURITY_NUMBER") != 50 {
			t.Errorf("people.txt: %s, %d SSNs", status(r), count(r, "USA_SOCIAL_SECURITY_NUMBER"))
		} else if r.Object.Path != "scan/people.txt" || r.Object.Bucket != "scan" || r.SizeClassified != int64(text.Len()) {
			t.Errorf("people.txt object: path %q bucket %q classified %d", r.Object.Path, r.Object.Bucket, r.SizeClassified)
		}
		if r := res["clean.txt"]; r == nil || r.Status != findings.Complete || r.Detections() != 0 {
			t.Errorf("clean.txt: %s", status(r))
		}
		// Tags are read for objects with detections only (a request each).
		if tags := res["people.txt"].Object.Tags; tags["owner"] != "hr" {
			t.Errorf("people.txt tags %v", tags)
		}
		if tags := res["clean.txt"].Object.Tags; tags != nil {
			t.Errorf("clean.txt tags read: %v", tags)
		}
		for key, enc := range map[string]string{"kms.txt": "aws:kms", "sse-s3.txt": "AES256"} {
			if r := res[key]; r == nil || r.Status != findings.Complete || count(r, "USA_SOCIAL_SECURITY_NUMBER") != 1 || r.Object.Encryption != enc {
				t.Errorf("%s: %s, encryption %q", key, status(r), r.Object.Encryption)
			}
		}
		if r := res[odd]; status(r) != "COMPLETE " || count(r, "USA_SOCIAL_SECURITY_NUMBER") != 1 || r.Object.Path != "scan/"+odd {
			t.Errorf("key with spaces and escapes: %s", status(r))
		}
		if r := res["client-side.txt"]; r == nil || r.Status != findings.Skipped || r.Reason != findings.InvalidEncryption {
			t.Errorf("client-side.txt: %s, want SKIPPED INVALID_ENCRYPTION", status(r))
		}
		if r := res["sheet.xlsx"]; r == nil || r.Status != findings.Complete || r.Detections() == 0 || r.MimeType != formats.OfficeMIME(formats.KindXLSX) {
			t.Errorf("sheet.xlsx: %s, %d detections", status(r), r.Detections())
		}
	})

	t.Run("ChangedOrDeletedAfterListing", func(t *testing.T) {
		b := srv.Bucket(t, "changes")
		srv.Put(t, b, "changed.txt", []byte(ssnLine(1)))
		srv.Put(t, b, "deleted.txt", []byte(ssnLine(2)))
		srv.Put(t, b, "kept.txt", []byte(ssnLine(3)))
		src := &Source{Client: clientFor(t, srv, srv.Endpoint), Bucket: b}
		var objs []scanner.Object
		src.List(ctx, func(o scanner.Object, err error) error { objs = append(objs, o); return err })
		srv.Put(t, b, "changed.txt", []byte(ssnLine(1)+ssnLine(4)))
		if _, err := admin.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b), Key: aws.String("deleted.txt")}); err != nil {
			t.Fatal(err)
		}
		res, _ := scanAll(t, testScanner(t, 1), listed{src, objs})
		want := map[string]string{
			"changed.txt": "SKIPPED OBJECT_VERSION_MISMATCH",
			"deleted.txt": "SKIPPED SOURCE_OBJECT_NO_LONGER_AVAILABLE",
			"kept.txt":    "COMPLETE ",
		}
		for k, w := range want {
			if got := status(res[k]); got != w {
				t.Errorf("%s: %s, want %s", k, got, w)
			}
		}
	})

	t.Run("ScopeWithTagsAndMaxObjects", func(t *testing.T) {
		b := srv.Bucket(t, "scope")
		srv.Put(t, b, "prod.csv", []byte("ssn\n234-56-7891\n"), func(in *s3.PutObjectInput) { in.Tagging = aws.String("env=prod&pii=yes") })
		srv.Put(t, b, "dev.csv", []byte("ssn\n234-56-7891\n"), func(in *s3.PutObjectInput) { in.Tagging = aws.String("env=dev") })
		srv.Put(t, b, "prod.log", []byte("x\n"), func(in *s3.PutObjectInput) { in.Tagging = aws.String("env=prod") })
		srv.Put(t, b, "untagged.csv", []byte("x\n"))
		src := &Source{Client: clientFor(t, srv, srv.Endpoint), Bucket: b,
			Scope: Scope{IncludeExt: []string{"csv"}, IncludeTags: []Tag{{Key: "env", Value: "prod"}}}}
		res, order := scanAll(t, testScanner(t, 2), src)
		if strings.Join(order, ",") != "prod.csv" {
			t.Fatalf("scanned %v, want prod.csv only", order)
		}
		r := res["prod.csv"]
		if r.Object.Tags["env"] != "prod" || r.Object.Tags["pii"] != "yes" || count(r, "USA_SOCIAL_SECURITY_NUMBER") != 1 {
			t.Errorf("prod.csv: tags %v, %d SSNs", r.Object.Tags, count(r, "USA_SOCIAL_SECURITY_NUMBER"))
		}
		src.Scope = Scope{MaxObjects: 2}
		_, order = scanAll(t, testScanner(t, 2), src)
		if strings.Join(order, ",") != "dev.csv,prod.csv" {
			t.Errorf("--max-objects 2 scanned %v", order)
		}
	})

	// Tags cost a GetObjectTagging request per object: trawl asks only for
	// objects with findings (Macie's s3Object.tags), after their scan, and
	// for every listed object only when a tag filter needs them, then
	// reusing that answer for the findings.
	t.Run("TagRequestsOnlyWhenNeeded", func(t *testing.T) {
		b := srv.Bucket(t, "tagcount")
		tagged := func(in *s3.PutObjectInput) { in.Tagging = aws.String("env=prod") }
		srv.Put(t, b, "found.txt", []byte(ssnLine(1)), tagged)
		srv.Put(t, b, "clean.txt", []byte("nothing here\n"), tagged)
		srv.Put(t, b, "dev.txt", []byte(ssnLine(2)), func(in *s3.PutObjectInput) { in.Tagging = aws.String("env=dev") })
		srv.Put(t, b, "other.log", []byte(ssnLine(3)), tagged)
		for _, tc := range []struct {
			name  string
			scope Scope
			tags  map[string]int    // GetObjectTagging requests per key
			gets  map[string]int    // GetObject requests per key
			found map[string]string // env tag in the result, per key scanned
		}{
			{"no tag filter", Scope{IncludeExt: []string{"txt"}},
				map[string]int{"found.txt": 1, "clean.txt": 0, "dev.txt": 1, "other.log": 0},
				map[string]int{"found.txt": 1, "clean.txt": 1, "dev.txt": 1, "other.log": 0},
				map[string]string{"found.txt": "prod", "clean.txt": "", "dev.txt": "dev"}},
			{"tag filter", Scope{IncludeExt: []string{"txt"}, ExcludeTags: []Tag{{Key: "env", Value: "dev"}}},
				map[string]int{"found.txt": 1, "clean.txt": 1, "dev.txt": 1, "other.log": 0},
				map[string]int{"found.txt": 1, "clean.txt": 1, "dev.txt": 0, "other.log": 0},
				map[string]string{"found.txt": "prod", "clean.txt": "prod"}},
			// In key order clean.txt is first: no tags are read past the limit.
			{"tag filter and max objects", Scope{IncludeExt: []string{"txt"}, IncludeTags: []Tag{{Key: "env", Value: "prod"}}, MaxObjects: 1},
				map[string]int{"found.txt": 0, "clean.txt": 1, "dev.txt": 0, "other.log": 0},
				map[string]int{"found.txt": 0, "clean.txt": 1, "dev.txt": 0, "other.log": 0},
				map[string]string{"clean.txt": "prod"}},
		} {
			proxy := miniotest.NewProxy(t, srv)
			src := &Source{Client: clientFor(t, srv, proxy.URL), Bucket: b, Scope: tc.scope}
			res, order := scanAll(t, testScanner(t, 2), src)
			if len(order) != len(tc.found) {
				t.Errorf("%s: scanned %v", tc.name, order)
			}
			for key, want := range tc.found {
				if r := res[key]; r == nil || r.Object.Tags["env"] != want {
					t.Errorf("%s: %s: %s, tags %v, want env=%q", tc.name, key, status(r), r.Object.Tags, want)
				}
			}
			for key, want := range tc.tags {
				if got := proxy.Taggings(key); got != want {
					t.Errorf("%s: %s: %d GetObjectTagging requests, want %d", tc.name, key, got, want)
				}
				if got := proxy.Gets(key); got != tc.gets[key] {
					t.Errorf("%s: %s: %d GetObject requests, want %d", tc.name, key, got, tc.gets[key])
				}
			}
		}
	})

	// A tag filter reads the tags of several objects at once (a round trip
	// each), but no more than tagLookups, and each object's once.
	t.Run("TagLookupsConcurrent", func(t *testing.T) {
		b := srv.Bucket(t, "tagmany")
		const n = 40
		for i := range n {
			env := "prod"
			if i%4 == 0 {
				env = "dev"
			}
			srv.Put(t, b, fmt.Sprintf("%02d.txt", i), []byte("x\n"), func(in *s3.PutObjectInput) { in.Tagging = aws.String("env=" + env) })
		}
		proxy := miniotest.NewProxy(t, srv)
		var mu sync.Mutex
		inFlight, most := 0, 0
		proxy.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Query().Has("tagging") {
				mu.Lock()
				inFlight++
				most = max(most, inFlight)
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
				mu.Lock()
				inFlight--
				mu.Unlock()
			}
			return false // then on to MinIO
		}
		src := &Source{Client: clientFor(t, srv, proxy.URL), Bucket: b, Scope: Scope{ExcludeTags: []Tag{{Key: "env", Value: "dev"}}}}
		_, order := scanAll(t, testScanner(t, 2), src)
		if len(order) != n-n/4 {
			t.Errorf("%d objects scanned, want %d", len(order), n-n/4)
		}
		total := 0
		for i := range n {
			total += proxy.Taggings(fmt.Sprintf("%02d.txt", i))
		}
		if total != n || most < 2 || most > tagLookups {
			t.Errorf("%d GetObjectTagging requests for %d objects, at most %d at once (want 2..%d)", total, n, most, tagLookups)
		}
	})

	t.Run("BucketErrors", func(t *testing.T) {
		c := clientFor(t, srv, srv.Endpoint)
		if _, err := ForBucket(ctx, c, "no-such-bucket", true); err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("missing bucket: %v", err)
		}
		bad := s3.New(c.Options(), func(o *s3.Options) {
			o.Credentials = credentials.NewStaticCredentialsProvider("nobody", "wrong-secret-key", "")
		})
		srv.Bucket(t, "private")
		if _, err := ForBucket(ctx, bad, "private", true); err == nil || !strings.Contains(err.Error(), "denied") {
			t.Errorf("bad credentials: %v", err)
		}
		if got, err := ForBucket(ctx, c, "private", false); err != nil || got == nil {
			t.Errorf("reachable bucket: %v", err)
		}
	})

	t.Run("BucketRegionFound", func(t *testing.T) {
		// The proxy poses as S3 for a bucket in eu-west-1: a HeadBucket
		// signed for another region gets a 301 naming the bucket's region.
		proxy := miniotest.NewProxy(t, srv)
		var scopes []string
		proxy.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodHead || r.URL.Path != "/far" {
				return false
			}
			scopes = append(scopes, r.Header.Get("Authorization"))
			w.Header().Set("X-Amz-Bucket-Region", "eu-west-1")
			if strings.Contains(r.Header.Get("Authorization"), "/eu-west-1/s3/") {
				w.WriteHeader(http.StatusOK)
			} else {
				w.WriteHeader(http.StatusMovedPermanently)
			}
			return true
		}
		c := clientFor(t, srv, proxy.URL)
		got, err := ForBucket(ctx, c, "far", false)
		if err != nil || got.Options().Region != "eu-west-1" || len(scopes) != 2 {
			t.Fatalf("region not found: %v, %d HeadBuckets", err, len(scopes))
		}
		// A region the user gave is kept: the bucket is then unreachable.
		if _, err := ForBucket(ctx, c, "far", true); err == nil || !strings.Contains(err.Error(), "another region") {
			t.Errorf("given region: %v", err)
		}
	})

	t.Run("RandomAccessAndNoDoubleFetch", func(t *testing.T) {
		b := srv.Bucket(t, "ranges")
		big := make([]byte, 20<<20)
		rand.Read(big)
		srv.Put(t, b, "big.bin", big)
		var text strings.Builder
		filler := strings.Repeat("nothing sensitive in this line of filler text\n", 400)
		for i := 0; text.Len() < 12<<20; i++ {
			text.WriteString(ssnLine(i % 5000))
			text.WriteString(filler)
		}
		srv.Put(t, b, "big.txt", []byte(text.String()))
		xlsx, _ := os.ReadFile("../../testdata/formats/office/sheet.xlsx")
		srv.Put(t, b, "sheet.xlsx", xlsx)
		parquet, _ := os.ReadFile("../../testdata/formats/records/people.parquet")
		srv.Put(t, b, "people.parquet", parquet)
		proxy := miniotest.NewProxy(t, srv)
		c := clientFor(t, srv, proxy.URL)
		src := &Source{Client: c, Bucket: b}

		// ReadAt against the bytes themselves, at scattered offsets.
		var o scanner.Object
		src.List(ctx, func(x scanner.Object, err error) error {
			if x.Key == "big.bin" {
				o = x
			}
			return err
		})
		rc, err := src.Open(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		ra := rc.(scanner.RandomAccess)
		if ra.Size() != int64(len(big)) {
			t.Fatalf("Size %d", ra.Size())
		}
		for _, off := range []int64{int64(len(big)) - 100, 0, 5<<20 - 7, 5<<20 + 1, 3 << 20, int64(len(big)) - 3<<20} {
			p := make([]byte, 3<<20+11)
			n, err := ra.ReadAt(p, off)
			want := min(int64(len(p)), int64(len(big))-off)
			if int64(n) != want || (err != nil && err != io.EOF) || string(p[:n]) != string(big[off:off+want]) {
				t.Errorf("ReadAt(%d): %d bytes, err %v, equal %v", off, n, err, string(p[:n]) == string(big[off:off+want]))
			}
		}
		rc.Close()

		// A scan transfers each object at most once (plus the head window
		// of a large object that is then read at random).
		before := proxy.Served("big.txt")
		res, _ := scanAll(t, testScanner(t, 2), src)
		if r := res["big.txt"]; r.Status != findings.Complete || count(r, "USA_SOCIAL_SECURITY_NUMBER") == 0 {
			t.Errorf("big.txt: %s", status(r))
		}
		if got := proxy.Served("big.txt") - before; got != int64(text.Len()) {
			t.Errorf("big.txt: %d bytes transferred for %d", got, text.Len())
		}
		for _, k := range []string{"sheet.xlsx", "people.parquet"} {
			if r := res[k]; r.Status != findings.Complete || r.Detections() == 0 {
				t.Errorf("%s: %s, %d detections", k, status(r), r.Detections())
			}
			// Small objects: the first GET's body is taken over by
			// random access, so each byte crosses the network once.
			size := res[k].Object.Size
			if got := proxy.Served(k); got != size || proxy.Gets(k) != 1 {
				t.Errorf("%s: %d bytes in %d GETs for %d", k, got, proxy.Gets(k), size)
			}
		}
	})

	t.Run("ArchiveStorageClasses", func(t *testing.T) {
		b := srv.Bucket(t, "archive")
		for _, k := range []string{"deep.txt", "glacier.txt", "restored.txt", "instant.txt"} {
			srv.Put(t, b, k, []byte(ssnLine(1)))
		}
		proxy := miniotest.NewProxy(t, srv)
		// MinIO has no archive tiers: the proxy poses the listing and the
		// HEAD answers as S3 gives them.
		classes := map[string]string{"deep.txt": "DEEP_ARCHIVE", "glacier.txt": "GLACIER", "restored.txt": "GLACIER", "instant.txt": "GLACIER_IR"}
		contents := regexp.MustCompile(`<Contents>.*?</Contents>`)
		proxy.ModifyList = func(body []byte) []byte {
			return contents.ReplaceAllFunc(body, func(c []byte) []byte {
				for k, cl := range classes {
					if strings.Contains(string(c), "<Key>"+k+"</Key>") {
						return regexp.MustCompile(`<StorageClass>[^<]*</StorageClass>`).ReplaceAll(c, []byte("<StorageClass>"+cl+"</StorageClass>"))
					}
				}
				return c
			})
		}
		proxy.ModifyHead = func(key string, h http.Header) {
			if key == "restored.txt" {
				h.Set("X-Amz-Restore", `ongoing-request="false", expiry-date="Fri, 21 Dec 2030 00:00:00 GMT"`)
			}
		}
		res, _ := scanAll(t, testScanner(t, 2), &Source{Client: clientFor(t, srv, proxy.URL), Bucket: b})
		want := map[string]string{
			"deep.txt": "SKIPPED INVALID_OBJECT_STATE", "glacier.txt": "SKIPPED INVALID_OBJECT_STATE",
			"restored.txt": "COMPLETE ", "instant.txt": "COMPLETE ",
		}
		for k, w := range want {
			if got := status(res[k]); got != w {
				t.Errorf("%s: %s, want %s", k, got, w)
			}
			if res[k].Object.StorageClass != classes[k] {
				t.Errorf("%s: storage class %q", k, res[k].Object.StorageClass)
			}
		}
		if proxy.Gets("deep.txt")+proxy.Gets("glacier.txt") != 0 {
			t.Error("an object in an archive class was fetched")
		}
	})
}

// listed replays a listing taken earlier, so a test can change objects
// between listing and reading.
type listed struct {
	*Source
	objs []scanner.Object
}

func (l listed) List(_ context.Context, fn func(scanner.Object, error) error) error {
	for _, o := range l.objs {
		if err := fn(o, nil); err != nil {
			return err
		}
	}
	return nil
}

// TestMinIOFaults scans through a proxy that throttles, drops connections
// mid-body and slows answers, and checks every object ends with the same
// result as without faults: nothing lost, nothing counted twice.
func TestMinIOFaults(t *testing.T) {
	srv := miniotest.Start(t)
	b := srv.Bucket(t, "faults")
	want := map[string]int{} // SSNs per key
	for i := range 24 {
		var text strings.Builder
		for j := range i + 1 {
			text.WriteString(ssnLine(j))
		}
		key := fmt.Sprintf("small/%02d.txt", i)
		srv.Put(t, b, key, []byte(text.String()))
		want[key] = i + 1
	}
	for i := range 2 {
		var text strings.Builder
		n := 0
		filler := strings.Repeat("nothing sensitive in this line of filler text\n", 400)
		for ; text.Len() < wholeBelow+1<<20; n++ {
			text.WriteString(ssnLine(n % 9000)) // sparse: the engine's time is not the point
			text.WriteString(filler)
		}
		key := fmt.Sprintf("large/%d.txt", i)
		srv.Put(t, b, key, []byte(text.String()))
		want[key] = n
	}
	xlsx, _ := os.ReadFile("../../testdata/formats/office/sheet.xlsx")
	srv.Put(t, b, "sheet.xlsx", xlsx)
	srv.Put(t, b, "denied.txt", []byte(ssnLine(1)))
	srv.Put(t, b, "kms-denied.txt", []byte(ssnLine(1)))
	srv.Put(t, b, "always-drops.txt", []byte(strings.Repeat(ssnLine(1), 100)))
	srv.Put(t, b, "always-throttled.txt", []byte(ssnLine(1)))

	base, _ := scanAll(t, testScanner(t, 2), &Source{Client: clientFor(t, srv, srv.Endpoint), Bucket: b})
	xlsxCount := base["sheet.xlsx"].Detections()

	proxy := miniotest.NewProxy(t, srv)
	proxy.Fault = func(key string, attempt int) miniotest.Fault {
		switch {
		case key == "denied.txt":
			return miniotest.Fault{Status: 403, Code: "AccessDenied", Message: "Access Denied"}
		case key == "always-drops.txt":
			return miniotest.Fault{CutAfter: 10}
		case key == "always-throttled.txt":
			return miniotest.Fault{Status: 503, Code: "SlowDown"}
		case key == "kms-denied.txt":
			return miniotest.Fault{Status: 403, Code: "AccessDenied", Message: "not authorized to perform kms:Decrypt"}
		case attempt == 1:
			return miniotest.Fault{Status: 503, Code: "SlowDown"}
		case attempt == 2:
			return miniotest.Fault{CutAfter: 100}
		case attempt == 3:
			return miniotest.Fault{Status: 500, Code: "InternalError"}
		case attempt == 4:
			return miniotest.Fault{Delay: 100 * time.Millisecond, CutAfter: 3 << 20}
		}
		return miniotest.Fault{}
	}
	got, order := scanAll(t, testScanner(t, 2), &Source{Client: clientFor(t, srv, proxy.URL), Bucket: b})
	if len(order) != len(want)+5 {
		t.Errorf("%d results for %d objects", len(order), len(want)+5)
	}
	// Faults that never end: the retries and resumes are bounded, and the
	// object ends unreadable rather than hanging the scan.
	for _, key := range []string{"always-drops.txt", "always-throttled.txt"} {
		if r := got[key]; r == nil || r.Status == findings.Complete || r.Reason != findings.UnableToParseFile {
			t.Errorf("%s: %s, want UNABLE_TO_PARSE_FILE", key, status(r))
		}
	}
	if n := proxy.Gets("always-drops.txt"); n != maxResumes+1 {
		t.Errorf("always-drops.txt: %d GETs, want %d (the first and %d resumes)", n, maxResumes+1, maxResumes)
	}
	if n := proxy.Gets("always-throttled.txt"); n != 10 {
		t.Errorf("always-throttled.txt: %d GETs, want 10 attempts", n)
	}
	for key, n := range want {
		r := got[key]
		if r == nil || r.Status != findings.Complete || count(r, "USA_SOCIAL_SECURITY_NUMBER") != n {
			t.Errorf("%s: %s, %d SSNs, want COMPLETE with %d", key, status(r), count(r, "USA_SOCIAL_SECURITY_NUMBER"), n)
		}
	}
	if r := got["sheet.xlsx"]; r == nil || r.Status != findings.Complete || r.Detections() != xlsxCount || xlsxCount == 0 {
		t.Errorf("sheet.xlsx: %s, %d detections, want %d", status(r), r.Detections(), xlsxCount)
	}
	if s := status(got["denied.txt"]); s != "SKIPPED PERMISSION_DENIED" {
		t.Errorf("denied.txt: %s", s)
	}
	if s := status(got["kms-denied.txt"]); s != "SKIPPED INVALID_KMS_KEY" {
		t.Errorf("kms-denied.txt: %s", s)
	}
	t.Logf("proxy: %d connections dropped, %d GETs of small/10.txt, %d of large/0.txt", proxy.Dropped(), proxy.Gets("small/10.txt"), proxy.Gets("large/0.txt"))
	if proxy.Dropped() < len(want)/2 {
		t.Errorf("only %d connections dropped: the faults were not exercised", proxy.Dropped())
	}
}

func TestMinIOBucketInfo(t *testing.T) {
	srv := miniotest.Start(t)
	ctx := context.Background()
	plain := srv.Bucket(t, "plain")
	enc := srv.Bucket(t, "encrypted")
	_, err := srv.Client().PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(enc),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256},
		}}}})
	if err != nil {
		t.Fatal(err)
	}
	c := clientFor(t, srv, srv.Endpoint)
	if info := BucketInfo(ctx, c, plain, nil); info.EncryptionType != "NONE" || info.EffectivePermission == "" {
		// (MinIO's ACL answer names no owner, so OwnerID stays empty here.)
		t.Errorf("plain bucket: %+v", info)
	}
	if info := BucketInfo(ctx, c, enc, nil); info.EncryptionType != "AES256" {
		t.Errorf("encrypted bucket: %+v", info)
	}
	// Tags and creation time, as S3 has them; permission settings are
	// always there (Macie's defaults where unread).
	_, err = srv.Client().PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(plain),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}}}})
	if err != nil {
		t.Fatal(err)
	}
	info := BucketInfo(ctx, c, plain, nil)
	if info.Tags["team"] != "data" || len(info.Tags) != 1 || info.Permissions == nil ||
		info.CreatedAt.IsZero() || time.Since(info.CreatedAt) > time.Hour {
		t.Errorf("tags %v, permissions %v, created %v", info.Tags, info.Permissions, info.CreatedAt)
	}
	// Denied everywhere: every field unknown, no failure.
	bad := s3.New(c.Options(), func(o *s3.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider("nobody", "wrong-secret", "")
	})
	if info := BucketInfo(ctx, bad, plain, nil); info.EncryptionType != "UNKNOWN" || info.EffectivePermission != "UNKNOWN" || info.OwnerID != "" {
		t.Errorf("denied: %+v", info)
	}
}

// TestMinIOCustomerKeys reads SSE-C objects (MinIO takes customer keys only
// over TLS): with the key given they are scanned, without it or with the
// wrong one they are SKIPPED with INVALID_ENCRYPTION.
func TestMinIOCustomerKeys(t *testing.T) {
	srv := miniotest.StartTLS(t)
	b := srv.Bucket(t, "ssec")
	key := make([]byte, 32)
	rand.Read(key)
	holder := &Source{SSECKey: key}
	srv.Put(t, b, "customer-key.txt", []byte(ssnLine(1)+ssnLine(2)), func(in *s3.PutObjectInput) {
		in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = holder.ssec()
	})
	srv.Put(t, b, "plain.txt", []byte(ssnLine(3)))
	c := clientFor(t, srv, srv.Endpoint)
	wrong := make([]byte, 32)
	rand.Read(wrong)
	for _, tc := range []struct {
		name string
		key  []byte
		want string
	}{
		{"no key", nil, "SKIPPED INVALID_ENCRYPTION"},
		{"right key", key, "COMPLETE "},
		{"wrong key", wrong, "SKIPPED INVALID_ENCRYPTION"},
	} {
		res, _ := scanAll(t, testScanner(t, 2), &Source{Client: c, Bucket: b, SSECKey: tc.key})
		if got := status(res["customer-key.txt"]); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		if tc.want == "COMPLETE " && count(res["customer-key.txt"], "USA_SOCIAL_SECURITY_NUMBER") != 2 {
			t.Errorf("%s: %d SSNs", tc.name, count(res["customer-key.txt"], "USA_SOCIAL_SECURITY_NUMBER"))
		}
		if got := status(res["plain.txt"]); got != "COMPLETE " {
			t.Errorf("%s: plain.txt %s", tc.name, got)
		}
	}
}

// TestMinIOStalls hangs answers mid-body: the idle timeout drops them and
// the reads resume, so a hung connection cannot hang the scan.
func TestMinIOStalls(t *testing.T) {
	srv := miniotest.Start(t)
	b := srv.Bucket(t, "stalls")
	var large strings.Builder
	n := 0
	for ; large.Len() < wholeBelow+3<<20; n++ {
		large.WriteString(ssnLine(n % 9000))
		large.WriteString(strings.Repeat("filler text without values\n", 300))
	}
	srv.Put(t, b, "large.txt", []byte(large.String()))
	srv.Put(t, b, "small.txt", []byte(strings.Repeat(ssnLine(1), 200)))
	proxy := miniotest.NewProxy(t, srv)
	proxy.Fault = func(key string, attempt int) miniotest.Fault {
		switch {
		case attempt == 1:
			return miniotest.Fault{StallAfter: 1000}
		case key == "large.txt" && attempt == 2:
			return miniotest.Fault{StallAfter: 2 << 20} // in the read-ahead
		}
		return miniotest.Fault{}
	}
	src := &Source{Client: clientFor(t, srv, proxy.URL), Bucket: b, IdleTimeout: 300 * time.Millisecond}
	start := time.Now()
	got, _ := scanAll(t, testScanner(t, 2), src)
	if r := got["small.txt"]; status(r) != "COMPLETE " || count(r, "USA_SOCIAL_SECURITY_NUMBER") != 200 {
		t.Errorf("small.txt: %s, %d SSNs", status(r), count(r, "USA_SOCIAL_SECURITY_NUMBER"))
	}
	if r := got["large.txt"]; status(r) != "COMPLETE " || count(r, "USA_SOCIAL_SECURITY_NUMBER") != n {
		t.Errorf("large.txt: %s, %d SSNs, want %d", status(r), count(r, "USA_SOCIAL_SECURITY_NUMBER"), n)
	}
	if proxy.Stalled() < 3 {
		t.Errorf("%d stalls: the faults were not exercised", proxy.Stalled())
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("scan took %v", took)
	}
}

// TestMinIOKMSKeyUnavailable makes MinIO itself fail to decrypt SSE-KMS
// objects: the server is started again on the same data with other KMS
// key material under the same name (kms:InvalidCiphertextException), then
// with no key of that name (kms:KeyNotFound, a 404). Both are Macie's
// INVALID_KMS_KEY, not a missing object; unencrypted objects still scan.
func TestMinIOKMSKeyUnavailable(t *testing.T) {
	srv := miniotest.Start(t)
	b := srv.Bucket(t, "kms")
	srv.Put(t, b, "kms.txt", []byte(ssnLine(1)), func(in *s3.PutObjectInput) {
		in.ServerSideEncryption = types.ServerSideEncryptionAwsKms
		in.SSEKMSKeyId = aws.String("trawl-key")
	})
	srv.Put(t, b, "plain.txt", []byte(ssnLine(2)))
	srv.Stop()
	for _, name := range []string{"trawl-key", "other-key"} {
		key := make([]byte, 32)
		rand.Read(key)
		again := miniotest.StartWith(t, miniotest.Options{DataDir: srv.DataDir, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey,
			KMSKey: name + ":" + base64.StdEncoding.EncodeToString(key)})
		res, _ := scanAll(t, testScanner(t, 2), &Source{Client: clientFor(t, again, again.Endpoint), Bucket: b})
		if s := status(res["kms.txt"]); s != "SKIPPED INVALID_KMS_KEY" {
			t.Errorf("KMS key %s: kms.txt: %s, want SKIPPED INVALID_KMS_KEY", name, s)
		}
		if r := res["plain.txt"]; status(r) != "COMPLETE " || count(r, "USA_SOCIAL_SECURITY_NUMBER") != 1 {
			t.Errorf("KMS key %s: plain.txt: %s", name, status(r))
		}
		again.Stop()
	}
}
