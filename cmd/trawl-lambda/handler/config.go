package handler

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/scanner/s3source"
)

// EnvConfig names an optional configuration object in S3: a YAML or JSON
// mapping of the variables above to their values, for settings too long
// or too many for the function's environment. A variable set in the
// environment wins over the object.
const EnvConfig = "TRAWL_CONFIG"

// maxConfigSize bounds what is read of a configuration, custom
// identifier or allow list object.
const maxConfigSize = 4 << 20

// LoadSettings reads the settings from the environment and, when
// TRAWL_CONFIG names one, the configuration object in S3.
func LoadSettings(ctx context.Context, getenv func(string) string) (Settings, error) {
	loc := getenv(EnvConfig)
	if loc == "" {
		return SettingsFromEnv(getenv)
	}
	// The object is read with the S3 settings of the environment alone.
	base, err := SettingsFromEnv(getenv)
	if err != nil {
		return base, err
	}
	c, err := s3source.NewClient(ctx, base.S3)
	if err != nil {
		return base, fmt.Errorf("%s: %w", EnvConfig, err)
	}
	raw, err := fetchS3(ctx, c, loc)
	if err != nil {
		return base, fmt.Errorf("%s: %w", EnvConfig, err)
	}
	var values map[string]string
	if err := yaml.Unmarshal(raw, &values); err != nil {
		return base, fmt.Errorf("%s %s: not a mapping of variable names to values: %w", EnvConfig, loc, err)
	}
	for k := range values {
		if !known(k) {
			return base, fmt.Errorf("%s %s: unknown setting %q (the settings are %s)", EnvConfig, loc, k, strings.Join(EnvVars, ", "))
		}
	}
	return SettingsFromEnv(func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return values[k]
	})
}

func known(name string) bool {
	for _, v := range EnvVars {
		if v == name {
			return true
		}
	}
	return false
}

// fetchS3 reads an s3://BUCKET/KEY object, at most maxConfigSize bytes.
func fetchS3(ctx context.Context, c *s3.Client, loc string) ([]byte, error) {
	bucket, key, ok := strings.Cut(strings.TrimPrefix(loc, "s3://"), "/")
	if !strings.HasPrefix(loc, "s3://") || !ok || bucket == "" || key == "" {
		return nil, fmt.Errorf("%q: give s3://BUCKET/KEY", loc)
	}
	bc, err := s3source.ForBucket(ctx, c, bucket, false)
	if err != nil {
		bc = c
	}
	out, err := bc.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", loc, err)
	}
	defer out.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(out.Body, maxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", loc, err)
	}
	if len(raw) > maxConfigSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", loc, maxConfigSize>>20)
	}
	return raw, nil
}

// localCopies gives files for a list of paths and s3:// objects: objects
// are copied to a temporary folder (the function's /tmp).
func localCopies(ctx context.Context, c func() (*s3.Client, error), names []string) ([]string, error) {
	var out []string
	for i, n := range names {
		if !strings.HasPrefix(n, "s3://") {
			out = append(out, n)
			continue
		}
		client, err := c()
		if err != nil {
			return nil, err
		}
		raw, err := fetchS3(ctx, client, n)
		if err != nil {
			return nil, err
		}
		dir, err := os.MkdirTemp("", "trawl-config-*")
		if err != nil {
			return nil, err
		}
		p := filepath.Join(dir, fmt.Sprintf("%d-%s", i, filepath.Base(n)))
		if err := os.WriteFile(p, raw, 0o600); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
