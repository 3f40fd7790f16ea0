-- Numbers of the flows (ledger_flows). Drawn with nextval only when a flow
-- is seen for the first time; gaps are harmless.
CREATE SEQUENCE ledger_flow_ids;
