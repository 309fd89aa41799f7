package main

import (
	"os"
	"syscall"
	"testing"
)

// storeEnv is the environment for one run of the binary: its default
// findings store is a fresh directory of its own (owned by the user the
// run is made as), never the user's store.
func storeEnv(t *testing.T, cred *syscall.Credential) []string {
	t.Helper()
	dir, err := os.MkdirTemp("", "trawl-xdg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if cred != nil {
		os.Chown(dir, int(cred.Uid), int(cred.Gid))
	}
	var env []string
	for _, kv := range os.Environ() {
		if len(kv) > len("TRAWL_STORE=") && kv[:len("TRAWL_STORE=")] == "TRAWL_STORE=" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "XDG_DATA_HOME="+dir) // the last value of a key wins
}
