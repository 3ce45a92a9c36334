"""Privacy by design: the processing log (Logboek Dataverwerkingen), the audit log, tracing.

pseudonym   Pseudonymiser: HMAC-SHA256 of a data subject id under a configured key
processing  DataSubject, ProcessingRecord, ProcessingLog and the sinks (JSON lines, memory)
audit       AuditRecord, AuditLog: which medewerker did what, in a separate sink
trace       W3C trace context per request, `traceparent` on every upstream call
purpose     BRP purpose headers (doelbinding, verwerking, gebruiker) per activity
recorder    Privacy: what an endpoint calls - one line writes processing and audit
"""
