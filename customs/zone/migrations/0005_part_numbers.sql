-- Enterprise part numbers (料号), many to one onto book lines.
CREATE TABLE zone_part_numbers (
    book TEXT NOT NULL,
    part TEXT NOT NULL,
    seq  INT NOT NULL,
    PRIMARY KEY (book, part)
);
