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
