-- One row per order holds its three documents (三单) as they arrive, so that
-- storing a document and learning whether the order is complete is one
-- statement. The bodies are written once and never changed; status, reason
-- and list_no say where the order is (PENDING until matched).
CREATE TABLE ecom_orders (
    order_no     TEXT PRIMARY KEY,
    enterprise   TEXT NOT NULL,
    status       TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    list_no      TEXT NOT NULL DEFAULT '',
    order_body   TEXT,
    payment_body TEXT,
    waybill_body TEXT
);
INSERT INTO ecom_orders (order_no, enterprise, status, reason, list_no, order_body, payment_body, waybill_body)
SELECT d.order_no, min(d.enterprise),
       COALESCE(max(CASE WHEN d.kind = 'order' THEN (d.body::JSONB)->>'Status' END), 'PENDING'),
       COALESCE(max(CASE WHEN d.kind = 'order' THEN (d.body::JSONB)->>'Reason' END), ''),
       COALESCE(max(CASE WHEN d.kind = 'order' THEN (d.body::JSONB)->>'ListNo' END), ''),
       max(CASE WHEN d.kind = 'order' THEN d.body END),
       max(CASE WHEN d.kind = 'payment' THEN d.body END),
       max(CASE WHEN d.kind = 'waybill' THEN d.body END)
FROM ecom_documents d
GROUP BY d.order_no;
DROP TABLE ecom_documents;
