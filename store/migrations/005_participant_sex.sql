-- A participant's sex (model::Sex, issue 15), for funders' reports only. It lives in the record
-- (participants.doc, store/records.cpp) like every other field; rows stored before it existed get
-- "non_renseigne", the value an absent field means on input, so every stored record carries it.
UPDATE participants SET doc = json_set(doc, '$.sex', 'non_renseigne') WHERE json_type(doc, '$.sex') IS NULL;
