-- The document a document answers or pairs with: the sender's list of an
-- intra-zone receiving list.
ALTER TABLE zone_documents ADD COLUMN link TEXT NOT NULL DEFAULT '';
