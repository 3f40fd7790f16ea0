-- Cross-border channels: an e-commerce enterprise selling through a
-- platform from a zone warehouse's book, with its tax guarantor.
CREATE TABLE ecom_channels (
    enterprise TEXT PRIMARY KEY,
    body       TEXT NOT NULL
);
