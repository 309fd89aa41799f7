package corpus

// BenchCustomIdentifiers are 20 custom data identifiers of the kinds users
// write (internal IDs with a prefix, codes near a keyword, tokens of a
// fixed shape), in Macie's YAML shape. Benchmarks run them with the
// managed identifiers.
const BenchCustomIdentifiers = `
- {name: Employee ID, regex: 'EMP-\d{6}', keywords: [employee, staff]}
- {name: Project code, regex: 'PRJ-[A-Z]{3}-\d{4}'}
- {name: Customer number, regex: 'CUST\d{8}'}
- {name: Ticket, regex: '(?i)INC\d{7}'}
- {name: Invoice, regex: 'INV-\d{4}-\d{6}', keywords: [invoice]}
- {name: Internal host, regex: '[a-z0-9-]+\.corp\.example\.com'}
- {name: Vault token, regex: 'hvs\.[A-Za-z0-9_-]{24,}'}
- {name: Slack webhook, regex: 'hooks\.slack\.com/services/T[A-Z0-9]{8,}/B[A-Z0-9]{8,}/[A-Za-z0-9]{24}'}
- {name: GitHub token, regex: 'gh[pousr]_[A-Za-z0-9]{36}'}
- {name: Badge number, regex: '\b\d{7}\b', keywords: [badge], maximumMatchDistance: 20}
- {name: Policy number, regex: 'POL[0-9]{9}', keywords: [policy]}
- {name: Member ID, regex: '\b[A-Z]{2}\d{9}\b', keywords: [member id, membership]}
- {name: Lab sample, regex: 'LS-\d{2}-\d{5}'}
- {name: License key, regex: '[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}', keywords: [license, serial]}
- {name: Payroll ID, regex: '\bPR\d{6}\b', keywords: [payroll]}
- {name: Case reference, regex: 'CASE/\d{4}/\d{5}'}
- {name: Vendor code, regex: 'VND\d{5}', ignoreWords: [VND00000]}
- {name: Patient MRN, regex: '\bMRN[: ]?\d{8}\b', keywords: [patient, mrn]}
- {name: Shipment, regex: '1Z[0-9A-Z]{16}'}
- {name: Access badge, regex: '\b[A-F0-9]{12}\b', keywords: [badge id, rfid]}
`

// TypicalCustomIdentifiers are 18 custom data identifiers of the kinds
// security teams write to find what the managed catalogue does not:
// confidentiality markers and other case-insensitive alternations,
// secrets bound to a field name, token shapes with and without a prefix,
// bare hex and alphanumeric runs with no literal at all, internal host
// names and e-mail addresses, a keyword-bound customer number, and a
// private IP address, which matches on every line of a typical log.
// Benchmarks run them with the default managed selection, to hold the
// cost of custom identifiers to a bound.
const TypicalCustomIdentifiers = `
- {name: Confidentiality marker, regex: '(?i)(confidential|internal only|do not distribute)'}
- {name: Restricted marker, regex: '(?i)\b(top secret|strictly confidential|restricted distribution|attorney[- ]client privileged)\b'}
- {name: Password assignment, regex: '(?i)passw(or)?d\s*[:=]\s*\S{8,64}'}
- {name: Secret assignment, regex: '(?i)(api[_-]?key|secret[_-]?key|access[_-]?token|client[_-]?secret)\s*[:=]\s*["'']?[A-Za-z0-9_\-]{16,}'}
- {name: Bearer token, regex: '(?i)bearer\s+[A-Za-z0-9._~+/-]{20,}=*'}
- {name: Connection string, regex: '(?i)\b(postgres(ql)?|mysql|mongodb(\+srv)?|redis|amqp)://[^\s:/@]+:[^\s@]+@[^\s/]+'}
- {name: E-mail address, regex: '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,24}'}
- {name: Internal host, regex: '\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(corp|internal|intra)\.example\.com\b'}
- {name: Generic token, regex: '\b[A-Za-z0-9]{40}\b'}
- {name: Hex secret, regex: '\b[0-9a-f]{32,64}\b'}
- {name: Slack token, regex: 'xox[baprs]-[0-9A-Za-z-]{10,72}'}
- {name: GitHub token, regex: 'gh[pousr]_[A-Za-z0-9]{36}'}
- {name: Customer number, regex: '\b\d{8}\b', keywords: [customer number, customer no, customer id]}
- {name: Private IP address, regex: '\b(10\.\d{1,3}\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3}|172\.(1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3})\b'}
- {name: Employee ID, regex: '\bE\d{6}\b', keywords: [employee, staff id]}
- {name: Project codename, regex: '(?i)\bproject\s+(falcon|orion|nightjar|bluebird)\b'}
- {name: Private key block, regex: '-----BEGIN ((RSA|EC|DSA|OPENSSH) )?PRIVATE KEY-----'}
- {name: Jira security ticket, regex: '\bSECOPS-\d{2,6}\b'}
`
