package scanner

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/membudget"
)

func TestSpoolUsesTheMemoryBudget(t *testing.T) {
	data := strings.Repeat("x", 1000)
	read := func(ra io.ReaderAt, n int64) string {
		b := make([]byte, n)
		ra.ReadAt(b, 0)
		return string(b)
	}
	pool := membudget.New(4 << 20)
	lease := pool.Lease()

	// Room: in memory, reserved until cleanup.
	ra, n, cleanup, err := spool(lease, strings.NewReader(data), 1000)
	if err != nil || n != 1000 || read(ra, n) != data {
		t.Fatalf("spool: %d bytes, %v", n, err)
	}
	if _, ok := ra.(*bytes.Reader); !ok || lease.Held() != 1001 {
		t.Fatalf("with room: %T, %d bytes held", ra, lease.Held())
	}
	cleanup()
	if lease.Held() != 0 {
		t.Fatalf("%d bytes held after cleanup", lease.Held())
	}

	// A header that lies: one byte past it, the rest goes to a file.
	ra, n, cleanup, err = spool(lease, strings.NewReader(data), 10)
	if _, ok := ra.(*os.File); !ok || err != nil || n != 1000 || read(ra, n) != data || lease.Held() != 0 {
		t.Fatalf("a short header: %T, %d bytes, %v, %d held", ra, n, err, lease.Held())
	}
	cleanup()

	// No room: a file, nothing reserved.
	full := pool.Lease()
	full.TryReserve(4 << 20)
	ra, n, cleanup, err = spool(lease, strings.NewReader(data), 1000)
	if _, ok := ra.(*os.File); !ok || err != nil || n != 1000 || read(ra, n) != data || lease.Held() != 0 {
		t.Fatalf("without room: %T, %d bytes, %v, %d held", ra, n, err, lease.Held())
	}
	cleanup()
	full.Close()

	// Unknown size, small: in memory.
	ra, n, cleanup, err = spool(lease, strings.NewReader(data), -1)
	if _, ok := ra.(*bytes.Reader); !ok || err != nil || n != 1000 {
		t.Fatalf("unknown size: %T, %d bytes, %v", ra, n, err)
	}
	cleanup()
	if pool.Used() != 0 {
		t.Fatalf("%d bytes still reserved", pool.Used())
	}
}
