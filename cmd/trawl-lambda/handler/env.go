package handler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/trawlsec/trawl/findings"
	"github.com/trawlsec/trawl/findings/publish"
	"github.com/trawlsec/trawl/findings/s3results"
	"github.com/trawlsec/trawl/findings/store"
	"github.com/trawlsec/trawl/formats"
	"github.com/trawlsec/trawl/identifiers"
	"github.com/trawlsec/trawl/internal/membudget"
	"github.com/trawlsec/trawl/scanner"
	"github.com/trawlsec/trawl/scanner/jobs"
	"github.com/trawlsec/trawl/scanner/s3source"
)

// The function's environment variables. Lists are comma-separated.
const (
	EnvManaged       = "TRAWL_MANAGED_IDENTIFIERS" // recommended (default), all or none
	EnvInclude       = "TRAWL_INCLUDE_IDENTIFIERS" // managed identifier IDs to add
	EnvExclude       = "TRAWL_EXCLUDE_IDENTIFIERS" // managed identifier IDs to leave out
	EnvCustom        = "TRAWL_CUSTOM_IDENTIFIERS"  // files of custom identifiers, in the package or s3://
	EnvAllow         = "TRAWL_ALLOW_LISTS"         // allow list files, in the package or s3://
	EnvWorkers       = "TRAWL_WORKERS"             // objects scanned at once (default 8)
	EnvMargin        = "TRAWL_SAFETY_MARGIN"       // time kept in hand before the deadline (default 10s)
	EnvMaxObjectTime = "TRAWL_MAX_OBJECT_TIME"     // time budget per object (default 10h)
	EnvResults       = "TRAWL_RESULTS"             // s3://BUCKET/PREFIX/ for the discovery results
	EnvResultsKMSKey = "TRAWL_RESULTS_KMS_KEY"     // KMS key of the results (SSE-KMS)
	EnvEndpoint      = "TRAWL_ENDPOINT_URL"        // an S3-compatible endpoint (tests, MinIO)
	EnvPathStyle     = "TRAWL_PATH_STYLE"          // true: path-style addressing
	EnvRegion        = "AWS_REGION"                // set by Lambda
	EnvAccount       = "TRAWL_ACCOUNT_ID"          // the account findings name when STS is not asked
	EnvPublish       = "TRAWL_PUBLISH"             // eventbridge or eventbridge:BUS_NAME_OR_ARN
	EnvSource        = "TRAWL_EVENTBRIDGE_SOURCE"  // the events' source (default trawl)
	EnvStore         = store.EnvVar                // a PostgreSQL store: postgres://...
	EnvMaxMemory     = "TRAWL_MAX_MEMORY"          // MiB the scans may use (default: 3/4 of the function's)
	EnvFunctionMB    = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"
)

// EnvVars are every variable SettingsFromEnv reads.
var EnvVars = []string{EnvManaged, EnvInclude, EnvExclude, EnvCustom, EnvAllow, EnvWorkers, EnvMargin,
	EnvMaxObjectTime, EnvResults, EnvResultsKMSKey, EnvEndpoint, EnvPathStyle, EnvRegion, EnvAccount,
	EnvPublish, EnvSource, EnvStore, EnvMaxMemory, EnvConfig}

// Settings are the function's configuration, read from its environment
// (Lambda's) or given by `trawl lambda invoke`'s flags.
type Settings struct {
	Managed, Include, Exclude, Custom, Allow string
	Workers                                  int
	Margin, MaxObjectTime                    time.Duration
	Results, ResultsKMSKey                   string
	S3                                       s3source.ClientOptions
	Account                                  string
	Publish, Source, Store                   string
	MaxMemoryMB                              int64
}

// SettingsFromEnv reads the settings; a malformed value is an error naming
// the variable and what it takes.
func SettingsFromEnv(getenv func(string) string) (Settings, error) {
	s := Settings{Managed: getenv(EnvManaged), Include: getenv(EnvInclude), Exclude: getenv(EnvExclude),
		Custom: getenv(EnvCustom), Allow: getenv(EnvAllow), Results: getenv(EnvResults),
		ResultsKMSKey: getenv(EnvResultsKMSKey), Account: getenv(EnvAccount),
		Publish: getenv(EnvPublish), Source: getenv(EnvSource), Store: getenv(EnvStore),
		S3: s3source.ClientOptions{EndpointURL: getenv(EnvEndpoint), Region: getenv(EnvRegion)}}
	var err error
	if v := getenv(EnvWorkers); v != "" {
		if s.Workers, err = strconv.Atoi(v); err != nil || s.Workers < 1 || s.Workers > 1024 {
			return s, fmt.Errorf("%s=%q: give a number of workers from 1 to 1024", EnvWorkers, v)
		}
	}
	for _, d := range []struct {
		name string
		to   *time.Duration
	}{{EnvMargin, &s.Margin}, {EnvMaxObjectTime, &s.MaxObjectTime}} {
		if v := getenv(d.name); v != "" {
			if *d.to, err = time.ParseDuration(v); err != nil || *d.to < 0 {
				return s, fmt.Errorf("%s=%q: give a duration such as 10s or 2m", d.name, v)
			}
		}
	}
	if v := getenv(EnvPathStyle); v != "" {
		if s.S3.PathStyle, err = strconv.ParseBool(v); err != nil {
			return s, fmt.Errorf("%s=%q: give true or false", EnvPathStyle, v)
		}
	}
	for _, name := range []string{EnvMaxMemory, EnvFunctionMB} {
		if v := getenv(name); v != "" && s.MaxMemoryMB == 0 {
			mb, err := strconv.ParseInt(v, 10, 64)
			if err != nil || mb < 128 || mb > 10240 {
				return s, fmt.Errorf("%s=%q: give a size in MiB from 128 to 10240", name, v)
			}
			if name == EnvFunctionMB {
				mb = mb * 3 / 4 // the rest for the runtime, the binary and the Go heap's slack
			}
			s.MaxMemoryMB = mb
		}
	}
	if s.Publish != "" {
		service, bus, _ := strings.Cut(s.Publish, ":")
		if service != "eventbridge" || strings.Contains(bus, " ") {
			return s, fmt.Errorf("%s=%q: give eventbridge or eventbridge:BUS_NAME_OR_ARN", EnvPublish, s.Publish)
		}
	}
	if s.Store != "" && !store.IsPostgres(s.Store) {
		return s, fmt.Errorf("%s=%q: give a postgres:// store (a function has no lasting disk)", EnvStore, store.Redact(s.Store))
	}
	if s.Results != "" && !strings.HasPrefix(s.Results, "s3://") {
		return s, fmt.Errorf("%s=%q: give an s3://BUCKET/PREFIX/ location (a function has no lasting disk)", EnvResults, s.Results)
	}
	return s, nil
}

// Build makes the handler's configuration: the engine, the S3 clients and
// the outputs.
func (s Settings) Build(ctx context.Context, log *slog.Logger) (Config, error) {
	if s.Managed == "" {
		s.Managed = "recommended"
	}
	sel, err := identifiers.ParseSelector(s.Managed)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", EnvManaged, err)
	}
	ids, err := identifiers.Select(sel, list(s.Include), list(s.Exclude))
	if err != nil {
		return Config{}, err
	}
	var fetch *s3.Client
	fetcher := func() (*s3.Client, error) {
		if fetch == nil {
			c, err := s3source.NewClient(ctx, s.S3)
			if err != nil {
				return nil, err
			}
			fetch = c
		}
		return fetch, nil
	}
	customFiles, err := localCopies(ctx, fetcher, list(s.Custom))
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", EnvCustom, err)
	}
	allowFiles, err := localCopies(ctx, fetcher, list(s.Allow))
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", EnvAllow, err)
	}
	for _, p := range customFiles {
		custom, err := identifiers.LoadCustom(p)
		if err != nil {
			return Config{}, fmt.Errorf("%s: %w", EnvCustom, err)
		}
		ids = append(ids, custom...)
	}
	if len(ids) == 0 {
		return Config{}, fmt.Errorf("no identifiers: %s=none needs %s or %s", EnvManaged, EnvInclude, EnvCustom)
	}
	allow, err := identifiers.LoadAllowLists(allowFiles)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", EnvAllow, err)
	}
	engine, err := identifiers.NewEngine(ids, identifiers.Options{Allow: allow})
	if err != nil {
		return Config{}, err
	}
	limits := scanner.DefaultLimits
	if s.MaxObjectTime > 0 {
		limits.MaxObjectTime = s.MaxObjectTime
	}
	workers := s.Workers
	if workers == 0 {
		workers = 8 // GETs wait on the network: more than the one or two vCPUs
	}
	base, err := s3source.NewClient(ctx, s.S3)
	if err != nil {
		return Config{}, fmt.Errorf("S3 client: %w", err)
	}
	clients := &clientCache{base: base, regionGiven: s.S3.EndpointURL != "", log: log, by: map[string]*s3.Client{}}
	sc := &scanner.Scanner{Engine: engine, Workers: workers, Text: formats.DefaultTextOptions, Limits: limits, Log: log}
	if s.MaxMemoryMB > 0 {
		sc.Memory = membudget.New(s.MaxMemoryMB << 20)
	}
	cfg := Config{
		Scanner: sc,
		Client:  clients.get,
		Margin:  s.Margin,
		Run:     findings.Run{AccountID: s.Account, Region: base.Options().Region, Partition: s3source.Partition(base.Options().Region)},
		Log:     log,
	}
	var st store.Store
	if s.Store != "" {
		if st, err = store.Open(ctx, s.Store); err != nil {
			return Config{}, fmt.Errorf("%s: %w", EnvStore, err)
		}
		cfg.Jobs = &jobs.Runner{Manager: jobs.Manager{Store: st}, Holder: jobs.NewHolder(), S3: s.S3, Workers: workers,
			Limits: limits, Memory: sc.Memory, Log: log}
	}
	var eb *eventbridge.Client
	var bus string
	if s.Publish != "" {
		_, bus, _ = strings.Cut(s.Publish, ":")
		region := s.S3.Region
		if a, err := arn.Parse(bus); err == nil {
			region = a.Region
		}
		awsCfg, err := s3source.LoadConfig(ctx, s.S3.Profile, region)
		if err != nil {
			return Config{}, fmt.Errorf("%s: %w", EnvPublish, err)
		}
		eb = eventbridge.NewFromConfig(awsCfg)
	}
	results := s.Results
	kms, source := s.ResultsKMSKey, s.Source
	if results == "" && st == nil && eb == nil {
		return cfg, nil
	}
	cfg.Outputs = func(ctx context.Context, run findings.Run) (findings.Sinks, error) {
		var sinks findings.Sinks
		if results != "" {
			bucket, prefix, _ := strings.Cut(strings.TrimPrefix(results, "s3://"), "/")
			if prefix != "" && !strings.HasSuffix(prefix, "/") {
				prefix += "/"
			}
			c, err := clients.get(ctx, bucket)
			if err != nil {
				return nil, err
			}
			w, err := s3results.New(ctx, c, bucket, prefix, kms, run)
			if err != nil {
				return nil, err
			}
			sinks = append(sinks, w)
		}
		// The store before the publisher: a finding is published once it
		// is kept.
		if st != nil {
			sinks = append(sinks, &storeSink{ctx: ctx, st: st, run: store.Run{ID: run.JobID, At: run.CreatedAt}})
		}
		if eb != nil {
			// With a store a finding goes once across invocations (an
			// event delivered twice is published once).
			var ledger publish.Ledger = publish.NewMemoryLedger()
			if st != nil {
				ledger = st
			}
			sinks = append(sinks, publish.NewEventBridge(ctx, eb, bus, source, ledger, publish.DefaultRetry))
		}
		return sinks, nil
	}
	return cfg, nil
}

// storeSink records each finding in the store as it comes, one
// transaction each: an invocation cut short keeps what it found.
type storeSink struct {
	ctx context.Context
	st  store.Store
	run store.Run
}

func (s *storeSink) Put(_ *findings.Result, f *findings.Finding) error {
	if f == nil {
		return nil
	}
	archived, err := s.st.Record(s.ctx, s.run, []*findings.Finding{f})
	if err != nil {
		return err
	}
	if _, ok := archived[f.ID]; ok {
		f.Archived = true // a suppression rule took it: it is not published
	}
	return nil
}

func (s *storeSink) Close() error { return nil }

func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// clientCache keeps one client per bucket, in the bucket's region.
type clientCache struct {
	base        *s3.Client
	regionGiven bool
	log         *slog.Logger
	mu          sync.Mutex
	by          map[string]*s3.Client
}

// get returns the bucket's client. A bucket that cannot be reached gets
// the base client, so that each of its objects ends SKIPPED with the
// reason S3 gives (NO_SUCH_BUCKET_AVAILABLE, PERMISSION_DENIED) rather
// than failing the whole invocation.
func (c *clientCache) get(ctx context.Context, bucket string) (*s3.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.by[bucket]; ok {
		return cl, nil
	}
	cl, err := s3source.ForBucket(ctx, c.base, bucket, c.regionGiven)
	if err != nil {
		c.log.Warn("bucket not reached; its objects are skipped", "bucket", bucket, "err", err)
		cl = c.base
	}
	c.by[bucket] = cl
	return cl, nil
}

func newJobID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
