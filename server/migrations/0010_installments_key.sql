-- An installment is the facility's n-th: (facility_id, seq) is its key. The surrogate id was a
-- second index and a sequence call for each of the book's tens of millions of installments.
ALTER TABLE installments DROP CONSTRAINT installments_pkey;
ALTER TABLE installments DROP COLUMN id;
ALTER TABLE installments DROP CONSTRAINT installments_facility_id_seq_key;
ALTER TABLE installments ADD PRIMARY KEY (facility_id, seq);
