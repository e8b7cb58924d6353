-- Trigram matching for typo-tolerant product search ("shrit" finds "shirt"). Extensions are per
-- database; IF NOT EXISTS lets every replica and every service schema run this safely.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
