//! Integration tests: one binary, a module per feature. Fixtures live in `tests/fixtures/`.

mod common;
mod gold_articles;
mod gold_metrics;
mod search;
mod seeds_content;
mod site;
