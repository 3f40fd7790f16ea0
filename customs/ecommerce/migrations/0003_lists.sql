-- Inventory lists (申报清单), one per matched order. status RELEASING means
-- the stock journal is being posted (see Recover).
CREATE TABLE ecom_lists (
    no          TEXT PRIMARY KEY,
    order_no    TEXT NOT NULL UNIQUE,
    enterprise  TEXT NOT NULL,
    guarantor   TEXT NOT NULL,
    buyer       TEXT NOT NULL,
    status      TEXT NOT NULL,
    released_on DATE,
    body        TEXT NOT NULL
);
