package publish

import "sync"

// Ledger records what was published to each target ("eventbridge:BUS",
// "securityhub:ACCOUNT/REGION"), so that a finding is sent once.
type Ledger interface {
	// Sent says whether the finding was already published to target.
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
