package publish

import "sync"

// Ledger records what was published to each target ("eventbridge:BUS",
// "securityhub:ACCOUNT/REGION"), so that a finding is sent once.
type Ledger interface {
	// Sent says whether the finding needs no sending to target: it was
	// published there already (the findings store also answers true for
	// a finding it holds archived or triaged away).
	Sent(target, findingID string) bool
	// MarkSent records findings published to target.
	MarkSent(target string, findingIDs []string) error
}

// MemoryLedger is a Ledger for one run (no findings store).
type MemoryLedger struct {
	mu   sync.Mutex
	sent map[string]bool
}

// NewMemoryLedger returns an empty ledger.
func NewMemoryLedger() *MemoryLedger { return &MemoryLedger{sent: map[string]bool{}} }

func (m *MemoryLedger) Sent(target, id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sent[target+"\x00"+id]
}

func (m *MemoryLedger) MarkSent(target string, ids []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		m.sent[target+"\x00"+id] = true
	}
	return nil
}
