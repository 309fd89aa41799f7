package scanner

import (
	"fmt"
	"hash/fnv"
	"io"
	"strconv"
	"strings"
)

// Shard is one slice of a source's objects, for scans spread over
// several processes (array jobs): Index from 0 to Count-1. The slices of
// one source are disjoint and together hold every object.
type Shard struct{ Index, Count int }

// ParseShard reads "i/N" (0 <= i < N), 0-based like Kubernetes'
// JOB_COMPLETION_INDEX and AWS Batch's AWS_BATCH_JOB_ARRAY_INDEX.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q is not INDEX/COUNT, such as 0/4", s)
	}
	if count < 1 || count > 1<<20 || index < 0 || index >= count {
		return Shard{}, fmt.Errorf("shard %q: COUNT must be 1 to %d and INDEX 0 to COUNT-1", s, 1<<20)
	}
	return Shard{Index: index, Count: count}, nil
}

// Holds reports whether the object named by bucket and key is in the
// shard. The choice hashes the names only (FNV-1a), so it is the same on
// every machine and in every run, and a key keeps its shard whatever
// else the bucket holds.
func (s Shard) Holds(bucket, key string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	io.WriteString(h, bucket)
	h.Write([]byte{0}) // no bucket and key pair reads as another
	io.WriteString(h, key)
	return h.Sum64()%uint64(s.Count) == uint64(s.Index)
}

// Sharded is src listing only the objects in shard s. Entries that could
// not be listed go to their key's shard too, so that each is reported
// once across the shards.
func Sharded(src Source, s Shard) Source {
	if s.Count <= 1 {
		return src
	}
	return &filtered{src: src, keep: func(o Object) bool { return s.Holds(o.Bucket, o.Key) }, keepErrors: true}
}
