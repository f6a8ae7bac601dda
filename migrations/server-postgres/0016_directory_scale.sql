-- Why: the directory of a program of 100,000 members (issue 18, BENCHMARKS.md "directory").
-- Pages are ordered by username: without an index every page sorted the whole table.
CREATE INDEX users_username ON users (username);
-- Selective filters without a text part (a state, with or without more).
CREATE INDEX users_state ON users (state);
-- Text (`q`) and skill filters are substring matches (LIKE '%…%', as before): trigram indexes
-- answer them for three characters or more without reading every member. pg_trgm ships with
-- PostgreSQL and is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_search_text_trgm ON users USING gin (search_text gin_trgm_ops);
CREATE INDEX users_skills_trgm ON users USING gin (skills gin_trgm_ops);
