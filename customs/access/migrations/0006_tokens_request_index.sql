-- IssueToken finds the live token of a principal's request id.
CREATE INDEX access_tokens_request ON access_tokens (principal_id, request_id);
