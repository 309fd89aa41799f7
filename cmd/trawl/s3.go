package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/spf13/pflag"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/s3results"
	"github.com/trawlsec/trawl/identifiers"
	"github.com/trawlsec/trawl/scanner"
	"github.com/trawlsec/trawl/scanner/s3source"
)

// s3Flags are the scan flags for s3:// targets: how to reach S3, and
// Macie's object scope.
type s3Flags struct {
	profile, region, endpoint string
	pathStyle                 bool
	includeExt, excludeExt    []string
	includePrefix             []string
	excludePrefix             []string
	minSize, maxSize          string
	modifiedAfter             string
	modifiedBefore            string
	tags, excludeTags         []string
	sampling                  float64
	seed                      int64
	maxObjects                int
	sseCKeyFile               string
	resultsKMSKey             string
	resultsHMACKey            string
}

func addS3Flags(fl *pflag.FlagSet, f *s3Flags) {
	fl.StringVar(&f.profile, "profile", "", "S3: AWS shared config profile (default: the standard credential chain)")
	fl.StringVar(&f.region, "region", "", "S3: region (default: from the environment or profile, then each bucket's own)")
	fl.StringVar(&f.endpoint, "endpoint-url", "", "S3: endpoint of an S3-compatible server, e.g. http://127.0.0.1:9000")
	fl.BoolVar(&f.pathStyle, "path-style", false, "S3: path-style addressing (bucket in the path), for MinIO, Ceph and the like")
	fl.StringSliceVar(&f.includeExt, "include-ext", nil, "Scope: scan only objects with these extensions (comma-separated, e.g. csv,json)")
	fl.StringSliceVar(&f.excludeExt, "exclude-ext", nil, "Scope: skip objects with these extensions")
	fl.StringArrayVar(&f.includePrefix, "include-prefix", nil, "Scope: scan only keys starting with this (repeatable, case-sensitive)")
	fl.StringArrayVar(&f.excludePrefix, "exclude-prefix", nil, "Scope: skip keys starting with this (repeatable)")
	fl.StringVar(&f.minSize, "min-size", "", "Scope: skip objects smaller than this (e.g. 1, 10KB, 5MiB)")
	fl.StringVar(&f.maxSize, "max-size", "", "Scope: skip objects larger than this (e.g. 5GB)")
	fl.StringVar(&f.modifiedAfter, "modified-after", "", "Scope: only objects last modified at or after this date (2026-01-01 or RFC 3339, UTC)")
	fl.StringVar(&f.modifiedBefore, "modified-before", "", "Scope: only objects last modified before this date")
	fl.StringArrayVar(&f.tags, "tag", nil, "S3: only objects with this tag, KEY or KEY=VALUE (repeatable, any may match; S3 targets only)")
	fl.StringArrayVar(&f.excludeTags, "exclude-tag", nil, "S3: skip objects with this tag, KEY or KEY=VALUE (repeatable; S3 targets only)")
	fl.Float64Var(&f.sampling, "sampling", 100, "Scope: scan this percentage of the objects in scope, picked by key and --seed")
	fl.Int64Var(&f.seed, "seed", 0, "Scope: seed of --sampling; the same seed picks the same objects")
	fl.IntVar(&f.maxObjects, "max-objects", 0, "Scope: scan at most this many objects per target (0: no limit)")
	fl.StringVar(&f.sseCKeyFile, "sse-c-key-file", "", "S3: file holding the 32-byte customer key (raw or base64) of SSE-C objects")
	fl.StringVar(&f.resultsKMSKey, "results-kms-key", "", "S3: KMS key (ID, ARN or alias) to encrypt --results s3://... with (SSE-KMS)")
	fl.StringVar(&f.resultsHMACKey, "results-hmac-key", "", "S3: KMS HMAC key (ID, ARN or alias) to sign --results s3://... with, as Macie does")
}

// s3Workers is the default number of objects scanned at once when a
// target is in S3: each GET waits on the network, so more than one per
// core keeps the cores busy.
const s3Workers = 16

// isS3 reports whether a target names an S3 location.
func isS3(target string) bool { return strings.HasPrefix(target, "s3://") }

// parseS3URL splits s3://bucket/prefix.
func parseS3URL(u string) (bucket, prefix string, err error) {
	rest := strings.TrimPrefix(u, "s3://")
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("%q names no bucket: use s3://BUCKET or s3://BUCKET/PREFIX", u)
	}
	return bucket, prefix, nil
}

// s3Targets builds the S3 sources; it shares one client across targets and
// checks every bucket before anything is scanned.
type s3Targets struct {
	f       s3Flags
	scope   s3source.Scope
	sseC    []byte
	client  *s3.Client
	cleanup []func()
	copies  map[string]string // local copy -> s3:// URL
	// caller is the credentials' AWS account (STS), asked once: "" when
	// unknown, as on S3-compatible servers.
	caller      string
	callerAsked bool
}

// callerAccount returns the credentials' account, asking STS the first
// time only.
func (t *s3Targets) callerAccount(ctx context.Context) string {
	if !t.callerAsked {
		t.caller, _ = s3source.AccountID(ctx, t.options())
		t.callerAsked = true
	}
	return t.caller
}

// newS3Targets validates the S3 flags (with --results, which the results
// keys need); errors name the flag and the fix.
func newS3Targets(f s3Flags, results string) (*s3Targets, error) {
	if err := checkResultsKeys(f, results); err != nil {
		return nil, err
	}
	t := &s3Targets{f: f}
	sc := &t.scope
	sc.IncludeExt, sc.ExcludeExt = f.includeExt, f.excludeExt
	sc.IncludePrefix, sc.ExcludePrefix = f.includePrefix, f.excludePrefix
	var err error
	if sc.MinSize, err = parseSize(f.minSize); err != nil {
		return nil, usageError("--min-size: %v", err)
	}
	if sc.MaxSize, err = parseSize(f.maxSize); err != nil {
		return nil, usageError("--max-size: %v", err)
	}
	if sc.MaxSize > 0 && sc.MaxSize < sc.MinSize {
		return nil, usageError("--max-size %s is below --min-size %s", f.maxSize, f.minSize)
	}
	if sc.ModifiedAfter, err = parseDate(f.modifiedAfter); err != nil {
		return nil, usageError("--modified-after: %v", err)
	}
	if sc.ModifiedBefore, err = parseDate(f.modifiedBefore); err != nil {
		return nil, usageError("--modified-before: %v", err)
	}
	if !sc.ModifiedAfter.IsZero() && !sc.ModifiedBefore.IsZero() && !sc.ModifiedAfter.Before(sc.ModifiedBefore) {
		return nil, usageError("--modified-after must be before --modified-before")
	}
	if sc.IncludeTags, err = parseTags(f.tags); err != nil {
		return nil, usageError("--tag: %v", err)
	}
	if sc.ExcludeTags, err = parseTags(f.excludeTags); err != nil {
		return nil, usageError("--exclude-tag: %v", err)
	}
	if f.sampling <= 0 || f.sampling > 100 {
		return nil, usageError("--sampling must be a percentage above 0 and at most 100, got %v", f.sampling)
	}
	sc.SamplingPercent, sc.Seed = f.sampling, f.seed
	if f.maxObjects < 0 {
		return nil, usageError("--max-objects must be 0 (no limit) or more, got %d", f.maxObjects)
	}
	sc.MaxObjects = f.maxObjects
	for _, e := range append(append([]string{}, f.includeExt...), f.excludeExt...) {
		if e == "" || strings.ContainsAny(e, "/ ") {
			return nil, usageError("--include-ext/--exclude-ext: %q is not an extension (write csv,json)", e)
		}
	}
	if f.sseCKeyFile != "" {
		if t.sseC, err = readSSECKey(f.sseCKeyFile); err != nil {
			return nil, usageError("--sse-c-key-file: %v", err)
		}
	}
	return t, nil
}

// clientFor returns a client in the bucket's region, after checking that
// the bucket can be reached; failures are exit-2 errors.
func (t *s3Targets) clientFor(ctx context.Context, bucket string) (*s3.Client, error) {
	if t.client == nil {
		c, err := s3source.NewClient(ctx, t.options())
		if err != nil {
			return nil, &exitErr{code: exitError, err: fmt.Errorf("%v (check --profile and ~/.aws/config)", err)}
		}
		t.client = c
	}
	c, err := s3source.ForBucket(ctx, t.client, bucket, t.f.region != "")
	if err != nil {
		return nil, &exitErr{code: exitError, err: err}
	}
	return c, nil
}

func (t *s3Targets) options() s3source.ClientOptions {
	return s3source.ClientOptions{Profile: t.f.profile, Region: t.f.region, EndpointURL: t.f.endpoint, PathStyle: t.f.pathStyle}
}

// source opens one s3:// target; an unreachable bucket is an error (exit 2).
func (t *s3Targets) source(ctx context.Context, target string, log *slog.Logger) (scanner.Source, error) {
	bucket, prefix, err := parseS3URL(target)
	if err != nil {
		return nil, usageError("%v", err)
	}
	c, err := t.clientFor(ctx, bucket)
	if err != nil {
		return nil, err
	}
	info := s3source.BucketInfo(ctx, c, bucket, log)
	info.AccountID = s3source.BucketAccount(ctx, c, bucket, t.callerAccount(ctx), log)
	return &s3source.Source{Client: c, Bucket: bucket, Prefix: prefix, Scope: t.scope, SSECKey: t.sseC, Info: info, Log: log}, nil
}

// readSSECKey reads a 256-bit key, raw or base64.
func readSSECKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the key: %w", err)
	}
	if len(b) == 32 {
		return b, nil
	}
	if k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b))); err == nil && len(k) == 32 {
		return k, nil
	}
	return nil, fmt.Errorf("%s must hold a 32-byte key, raw or base64 (it holds %d bytes)", path, len(b))
}

// sizeUnits are decimal (KB, MB...) and binary (KiB, MiB...) multiples.
var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"B", 1},
}

// parseSize reads 1234, 10KB, 5GB, 10MiB...; "" is 0.
func parseSize(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	up := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(up, u.suffix) {
			up, mult = strings.TrimSpace(strings.TrimSuffix(up, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(up, 64)
	if err != nil || n < 0 || n*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("%q is not a size: write a number of bytes, or with a unit such as 10KB, 5GB or 10MiB", s)
	}
	return int64(n * float64(mult)), nil
}

// parseDate reads 2026-01-01 or an RFC 3339 time; "" is the zero time.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date: write 2026-01-01 or 2026-01-01T12:00:00Z", s)
}

func parseTags(list []string) ([]s3source.Tag, error) {
	var tags []s3source.Tag
	for _, s := range list {
		k, v, hasValue := strings.Cut(s, "=")
		if k == "" {
			return nil, fmt.Errorf("%q has no key: write KEY or KEY=VALUE", s)
		}
		tags = append(tags, s3source.Tag{Key: k, Value: v, AnyValue: !hasValue})
	}
	return tags, nil
}

// localCopies downloads the s3:// entries of paths (--custom-identifiers,
// --allow-list) into dir, keeping their names (the extension picks the
// format), at most limit+1 bytes each so the loaders can refuse an
// oversized file; other paths are returned as they are.
func (t *s3Targets) localCopies(ctx context.Context, paths []string, dir string, limit int64, flag string) ([]string, error) {
	out := make([]string, len(paths))
	for i, p := range paths {
		if !isS3(p) {
			out[i] = p
			continue
		}
		bucket, key, err := parseS3URL(p)
		if err != nil || key == "" || strings.HasSuffix(key, "/") {
			return nil, usageError("%s %s: name an object, s3://BUCKET/KEY", flag, p)
		}
		c, err := t.clientFor(ctx, bucket)
		if err != nil {
			return nil, err
		}
		obj, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
		if err != nil {
			return nil, &exitErr{code: exitError, err: fmt.Errorf("%s: cannot read %s: %w (the credentials need s3:GetObject on it)", flag, p, err)}
		}
		local := filepath.Join(dir, fmt.Sprintf("%d-%s", i, path.Base(key)))
		err = writeLimited(local, obj.Body, limit+1)
		obj.Body.Close()
		if err != nil {
			return nil, &exitErr{code: exitError, err: fmt.Errorf("%s: cannot read %s: %w", flag, p, err)}
		}
		out[i] = local
		if t.copies == nil {
			t.copies = map[string]string{}
		}
		t.copies[local] = p
	}
	return out, nil
}

// explain names the s3:// file, not its local copy, in a loader's error.
func (t *s3Targets) explain(err error) error {
	msg := err.Error()
	for local, url := range t.copies {
		msg = strings.ReplaceAll(msg, local, url)
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

func writeLimited(name string, r io.Reader, limit int64) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, io.LimitReader(r, limit)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// results opens --results s3://bucket/prefix.
func (t *s3Targets) results(ctx context.Context, target string, run findings.Run) (findings.Sink, string, error) {
	bucket, prefix, err := parseS3URL(target)
	if err != nil {
		return nil, "", usageError("--results: %v", err)
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	c, err := t.clientFor(ctx, bucket)
	if err != nil {
		return nil, "", err
	}
	// Macie's layout names the account and the region. An account that
	// cannot be learnt is no error: the results go to an "unknown" folder,
	// which tells the user as much.
	run.AccountID, run.Region = t.callerAccount(ctx), c.Options().Region
	var signer *s3results.Signer
	if t.f.resultsHMACKey != "" {
		if signer, err = t.signer(ctx, c.Options().Region); err != nil {
			return nil, "", &exitErr{code: exitError, err: err}
		}
	}
	w, err := s3results.New(ctx, c, bucket, prefix, t.f.resultsKMSKey, run)
	if err != nil {
		return nil, "", &exitErr{code: exitError, err: err}
	}
	if signer != nil {
		w.SignWith(signer)
	}
	return w, w.Location(), nil
}

// fetchLists replaces s3:// custom identifier and allow list files with
// local copies in a temporary directory (removed at exit: the loaders read
// them once, before the scan starts).
func (t *s3Targets) fetchLists(ctx context.Context, custom, allow []string) ([]string, []string, error) {
	if !slices.ContainsFunc(custom, isS3) && !slices.ContainsFunc(allow, isS3) {
		return custom, allow, nil
	}
	dir, err := os.MkdirTemp("", "trawl-lists-")
	if err != nil {
		return nil, nil, &exitErr{code: exitError, err: err}
	}
	t.cleanup = append(t.cleanup, func() { os.RemoveAll(dir) })
	// A custom identifier file holds at most 10,000 small definitions.
	if custom, err = t.localCopies(ctx, custom, dir, 16<<20, "--custom-identifiers"); err != nil {
		return nil, nil, err
	}
	if allow, err = t.localCopies(ctx, allow, dir, identifiers.MaxAllowBytes, "--allow-list"); err != nil {
		return nil, nil, err
	}
	return custom, allow, nil
}

// openResults opens --results: a local directory or s3://bucket/prefix.
func (t *s3Targets) openResults(ctx context.Context, target string, run findings.Run) (findings.Sink, string, error) {
	if isS3(target) {
		return t.results(ctx, target, run)
	}
	return findings.NewResults(target, run)
}

// close removes the temporary copies.
func (t *s3Targets) close() {
	for _, fn := range t.cleanup {
		fn()
	}
}

// local applies the scope flags to a local source: key (the path under
// the scanned directory), size, modification time, sampling and the
// object limit, as a listing of S3 has them. Local files have no tags.
func (t *s3Targets) local(src scanner.Source, target string) (scanner.Source, error) {
	if t.scope.NeedsTags() {
		return nil, usageError("--tag and --exclude-tag need S3 objects; %s is local (local files have no tags)", target)
	}
	sc := t.scope
	return scanner.Filtered(src, func(o scanner.Object) bool { return sc.Listed(o.Key, o.Size, o.LastModified) }, sc.MaxObjects), nil
}
