// Package fakeaws is a local stand-in in tests for the AWS services trawl
// publishes to and nothing real can replace here: EventBridge (PutEvents,
// JSON 1.1), Security Hub (BatchImportFindings, REST-JSON) and STS
// (GetCallerIdentity, for the account). Every request's SigV4 signature is
// checked against the test's credentials, each API's target and protocol
// as the service would, and every payload against the service's limits.
// Tests inject throttling, server errors, partial failures and refusals.
package fakeaws

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Account is the caller's account the fake STS answers.
const Account = "123456789012"

// Operations, as named in faults.
const (
	PutEvents           = "PutEvents"
	BatchImportFindings = "BatchImportFindings"
	GetCallerIdentity   = "GetCallerIdentity"
)

// Event is one PutEvents entry as received.
type Event struct {
	Source, DetailType, EventBusName string
	Detail                           json.RawMessage
	Time                             time.Time // zero when the entry had none
}

// fault is what the next requests to an operation get instead of success.
type fault struct {
	times   int    // requests it applies to; <0: all
	status  int    // HTTP status of a request error; 0: partial failure
	errType string // the error type or entry error code
	entries int    // partial failure: how many of the first entries fail
}

// Server is the fake.
type Server struct {
	URL                  string
	AccessKey, SecretKey string
	Region               string

	mu       sync.Mutex
	faults   map[string][]*fault
	events   []Event
	imported []json.RawMessage
	requests map[string]int
	refused  []string
}

// Start runs the fake in region for requests signed with the given
// credentials.
func Start(t testing.TB, accessKey, secretKey, region string) *Server {
	s := &Server{AccessKey: accessKey, SecretKey: secretKey, Region: region, faults: map[string][]*fault{}, requests: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// FailRequests makes the next times requests to op (all of them if times
// < 0) fail with an HTTP status and error type: ThrottlingException with
// 400, InternalException with 500, AccessDeniedException...
func (s *Server) FailRequests(op string, times, status int, errType string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = append(s.faults[op], &fault{times: times, status: status, errType: errType})
}

// FailEntries makes the next times requests to op answer with the first
// n entries (events, findings) failed with code, the others accepted.
func (s *Server) FailEntries(op string, times, n int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = append(s.faults[op], &fault{times: times, errType: code, entries: n})
}

// Events returns the events accepted, in order.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.events...)
}

// Imported returns the ASFF findings accepted, in order.
func (s *Server) Imported() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.imported...)
}

// Requests counts the requests to op that passed the signature check.
func (s *Server) Requests(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[op]
}

// Refused returns why requests were refused (signature, protocol,
// payload): a test fails if there is any it did not mean.
func (s *Server) Refused() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.refused...)
}

// next takes the fault that applies to op's current request.
func (s *Server) next(op string) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[op]++
	for len(s.faults[op]) > 0 {
		f := s.faults[op][0]
		if f.times == 0 {
			s.faults[op] = s.faults[op][1:]
			continue
		}
		if f.times > 0 {
			f.times--
		}
		return f
	}
	return nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		s.refuse(w, r, "SerializationException", "read body: %v", err)
		return
	}
	var op, service string
	switch {
	case strings.HasPrefix(r.Header.Get("X-Amz-Target"), "AWSEvents."):
		op, service = strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSEvents."), "events"
		if r.Method != http.MethodPost || r.URL.Path != "/" || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
			s.refuse(w, r, "UnknownOperationException", "EventBridge is JSON 1.1 POST /: %s %s %q", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
			return
		}
	case r.URL.Path == "/findings/import":
		op, service = BatchImportFindings, "securityhub"
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			s.refuse(w, r, "UnknownOperationException", "Security Hub BatchImportFindings is REST-JSON POST: %s %q", r.Method, r.Header.Get("Content-Type"))
			return
		}
	default:
		form, _ := url.ParseQuery(string(body))
		if form.Get("Action") != GetCallerIdentity {
			s.refuse(w, r, "UnknownOperationException", "%s %s target %q", r.Method, r.URL.Path, r.Header.Get("X-Amz-Target"))
			return
		}
		op, service = GetCallerIdentity, "sts"
	}
	if err := s.checkSignature(r, body, service); err != nil {
		s.refuse(w, r, "InvalidSignatureException", "%v", err)
		return
	}
	f := s.next(op)
	if f != nil && f.status != 0 {
		s.answerError(w, service, f.status, f.errType)
		return
	}
	switch op {
	case PutEvents:
		s.putEvents(w, r, body, f)
	case BatchImportFindings:
		s.importFindings(w, r, body, f)
	case GetCallerIdentity:
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::%s:user/test</Arn><UserId>AIDATEST</UserId><Account>%s</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, Account, Account)
	default:
		s.refuse(w, r, "UnknownOperationException", "operation %q", op)
	}
}

// maxPutEvents is PutEvents' request limit: entries' sizes (Time 14
// bytes, Source, DetailType, Detail, Resources) under 256 KB in total.
const maxPutEvents = 256 * 1024

func (s *Server) putEvents(w http.ResponseWriter, r *http.Request, body []byte, f *fault) {
	var in struct {
		Entries []struct {
			Source, DetailType, EventBusName, Detail string
			Time                                     *float64 // epoch seconds, as JSON 1.1 writes times
			Resources                                []string
		}
	}
	if err := json.Unmarshal(body, &in); err != nil {
		s.refuse(w, r, "ValidationException", "payload: %v", err)
		return
	}
	if len(in.Entries) < 1 || len(in.Entries) > 10 {
		s.refuse(w, r, "ValidationException", "%d entries, PutEvents takes 1 to 10", len(in.Entries))
		return
	}
	size := 0
	for _, e := range in.Entries {
		size += 14 + len(e.Source) + len(e.DetailType) + len(e.Detail)
		for _, res := range e.Resources {
			size += len(res)
		}
		var detail map[string]any
		if e.Source == "" || e.DetailType == "" || json.Unmarshal([]byte(e.Detail), &detail) != nil {
			s.refuse(w, r, "ValidationException", "entry without source, detail-type or a JSON object detail")
			return
		}
		if strings.HasPrefix(e.Source, "aws.") {
			s.refuse(w, r, "ValidationException", "source %q: aws.* is reserved for AWS services", e.Source)
			return
		}
	}
	if size >= maxPutEvents {
		s.refuse(w, r, "ValidationException", "entries of %d bytes, PutEvents takes under %d", size, maxPutEvents)
		return
	}
	type result struct {
		EventID      string `json:"EventId,omitempty"`
		ErrorCode    string `json:",omitempty"`
		ErrorMessage string `json:",omitempty"`
	}
	out := struct {
		FailedEntryCount int
		Entries          []result
	}{}
	s.mu.Lock()
	for i, e := range in.Entries {
		if f != nil && i < f.entries {
			out.FailedEntryCount++
			out.Entries = append(out.Entries, result{ErrorCode: f.errType, ErrorMessage: "failed by the test"})
			continue
		}
		ev := Event{Source: e.Source, DetailType: e.DetailType, EventBusName: e.EventBusName, Detail: json.RawMessage(e.Detail)}
		if e.Time != nil {
			ev.Time = time.UnixMilli(int64(*e.Time * 1000)).UTC()
		}
		s.events = append(s.events, ev)
		out.Entries = append(out.Entries, result{EventID: fmt.Sprintf("event-%d", len(s.events))})
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}

// asffRequired are the fields BatchImportFindings requires of a finding.
var asffRequired = []string{"SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "CreatedAt", "UpdatedAt", "Title", "Description", "Types", "Severity", "Resources"}

// maxFinding is Security Hub's limit on one finding's size.
const maxFinding = 240 * 1024

func (s *Server) importFindings(w http.ResponseWriter, r *http.Request, body []byte, f *fault) {
	var in struct{ Findings []json.RawMessage }
	if err := json.Unmarshal(body, &in); err != nil {
		s.refuse(w, r, "InvalidInputException", "payload: %v", err)
		return
	}
	if len(in.Findings) < 1 || len(in.Findings) > 100 {
		s.refuse(w, r, "InvalidInputException", "%d findings, BatchImportFindings takes 1 to 100", len(in.Findings))
		return
	}
	type failed struct{ Id, ErrorCode, ErrorMessage string }
	out := struct {
		FailedCount, SuccessCount int
		FailedFindings            []failed
	}{FailedFindings: []failed{}}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, raw := range in.Findings {
		var doc map[string]any
		json.Unmarshal(raw, &doc)
		id, _ := doc["Id"].(string)
		if msg := checkASFF(doc, len(raw)); msg != "" {
			s.refused = append(s.refused, "InvalidInput: "+msg)
			out.FailedCount++
			out.FailedFindings = append(out.FailedFindings, failed{id, "InvalidInput", msg})
			continue
		}
		if f != nil && i < f.entries {
			out.FailedCount++
			out.FailedFindings = append(out.FailedFindings, failed{id, f.errType, "failed by the test"})
			continue
		}
		s.imported = append(s.imported, raw)
		out.SuccessCount++
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// checkASFF says what is wrong with a finding, "" if nothing.
func checkASFF(doc map[string]any, size int) string {
	for _, k := range asffRequired {
		if v, ok := doc[k]; !ok || v == nil || v == "" {
			return "missing " + k
		}
	}
	acct, _ := doc["AwsAccountId"].(string)
	if p, _ := doc["ProductArn"].(string); !strings.HasSuffix(p, ":"+acct+":product/"+acct+"/default") {
		return "ProductArn " + p + " is not the account's default product"
	}
	if doc["SchemaVersion"] != "2018-10-08" {
		return "SchemaVersion"
	}
	if size > maxFinding {
		return fmt.Sprintf("finding of %d bytes, at most %d", size, maxFinding)
	}
	return ""
}

// checkSignature signs the request again with the expected credentials,
// region and service, and compares the signatures.
func (s *Server) checkSignature(r *http.Request, body []byte, service string) error {
	auth := r.Header.Get("Authorization")
	scope := "/" + s.Region + "/" + service + "/aws4_request"
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+s.AccessKey+"/") || !strings.Contains(auth, scope) {
		return fmt.Errorf("authorization %q lacks the credential scope %s", auth, scope)
	}
	_, signed, _ := strings.Cut(auth, "SignedHeaders=")
	signed, _, _ = strings.Cut(signed, ",")
	date, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("x-amz-date: %v", err)
	}
	again, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	for _, h := range strings.Split(signed, ";") {
		if h != "host" && h != "content-length" && h != "x-amz-date" {
			again.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: s.AccessKey, SecretAccessKey: s.SecretKey}
	if err := v4.NewSigner().SignHTTP(r.Context(), creds, again, hex.EncodeToString(sum[:]), service, s.Region, date); err != nil {
		return err
	}
	if again.Header.Get("Authorization") != auth {
		return fmt.Errorf("signature mismatch: got %q, want %q", auth, again.Header.Get("Authorization"))
	}
	return nil
}

func (s *Server) refuse(w http.ResponseWriter, r *http.Request, errType, format string, args ...any) {
	s.mu.Lock()
	s.refused = append(s.refused, errType+": "+fmt.Sprintf(format, args...))
	s.mu.Unlock()
	s.answerError(w, "events", http.StatusBadRequest, errType)
}

// answerError answers an error the way the service's protocol does.
func (s *Server) answerError(w http.ResponseWriter, service string, status int, errType string) {
	switch service {
	case "securityhub":
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", errType)
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"Message": errType + " (fake)", "Code": errType})
	case "sts":
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>fake</Message></Error><RequestId>1</RequestId></ErrorResponse>`, errType)
	default:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"__type": errType, "message": errType + " (fake)"})
	}
}
