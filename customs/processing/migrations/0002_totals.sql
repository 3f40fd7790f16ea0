-- What production under one version has made and consumed so far, per
-- material: the cumulative finished quantity and the materials consumed
-- for it, each rounded once. A report books the difference its quantity
-- makes, so many small reports consume exactly what one large one does.
CREATE TABLE proc_totals (
    book         TEXT NOT NULL,
    finished_seq INT NOT NULL,
    version      TEXT NOT NULL,
    material_seq INT NOT NULL,
    finished     NUMERIC NOT NULL,
    bonded       NUMERIC NOT NULL,
    nonbonded    NUMERIC NOT NULL,
    loss         NUMERIC NOT NULL,
    PRIMARY KEY (book, finished_seq, version, material_seq)
);
