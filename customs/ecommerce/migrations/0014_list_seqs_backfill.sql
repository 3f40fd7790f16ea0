-- The books of the lists stored before 0010 have given change number 1.
INSERT INTO ecom_list_seqs (book, seq) SELECT DISTINCT book, 1 FROM ecom_lists;
