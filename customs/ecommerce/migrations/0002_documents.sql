-- Orders, payment slips and waybills (三单) as they arrive, keyed by the
-- platform's order number; kind is order, payment or waybill.
CREATE TABLE ecom_documents (
    kind       TEXT NOT NULL,
    order_no   TEXT NOT NULL,
    enterprise TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, order_no)
);
