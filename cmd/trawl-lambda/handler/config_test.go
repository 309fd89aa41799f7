package handler

import (
	"context"
	"log/slog"
	"strings"
	"testing"
)

// TestConfigObject: the function reads its settings, custom identifiers
// and allow lists from S3; the environment wins over the object.
func TestConfigObject(t *testing.T) {
	f := newFixture(t, Settings{})
	f.srv.Bucket(t, "cfg")
	f.srv.Put(t, "cfg", "trawl.yaml", []byte("TRAWL_MANAGED_IDENTIFIERS: none\nTRAWL_CUSTOM_IDENTIFIERS: s3://cfg/cdi.yaml\n"+
		"TRAWL_ALLOW_LISTS: s3://cfg/allow.txt\nTRAWL_WORKERS: \"3\"\n"))
	f.srv.Put(t, "cfg", "cdi.yaml", []byte("name: Employee ID\nregex: 'EMP-[0-9]{6}'\n"))
	f.srv.Put(t, "cfg", "allow.txt", []byte("EMP-000000\n"))
	env := map[string]string{EnvConfig: "s3://cfg/trawl.yaml", EnvEndpoint: f.srv.Endpoint, EnvPathStyle: "true",
		EnvRegion: f.srv.Region, EnvWorkers: "2"}
	s, err := LoadSettings(context.Background(), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if s.Managed != "none" || s.Workers != 2 || s.Custom != "s3://cfg/cdi.yaml" {
		t.Fatalf("settings %+v", s)
	}
	cfg, err := s.Build(context.Background(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if f.h, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	f.put(t, "ids.txt", "EMP-123456 and EMP-000000\n")
	r, err := f.invoke(t, context.Background(), eventBridge(f.bucket, "ids.txt", f.etags["ids.txt"], "", 26))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Objects) != 1 || detections(r.Objects[0]) != "custom:Employee ID=1" {
		t.Fatalf("objects %+v (%s)", r.Objects, detections(r.Objects[0]))
	}

	for _, c := range []struct{ body, want string }{
		{"TRAWL_NOT_A_SETTING: x\n", "unknown setting"},
		{"- a list\n", "not a mapping"},
	} {
		f.srv.Put(t, "cfg", "bad.yaml", []byte(c.body))
		env[EnvConfig] = "s3://cfg/bad.yaml"
		if _, err := LoadSettings(context.Background(), func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.body, err, c.want)
		}
	}
	env[EnvConfig] = "s3://cfg/missing.yaml"
	if _, err := LoadSettings(context.Background(), func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), EnvConfig) {
		t.Errorf("missing object: %v", err)
	}
}
