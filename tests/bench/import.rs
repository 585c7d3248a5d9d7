//! Benchmark: annotating the five bundled seeds (`cargo bench --bench import`).
//!
//! Reads the seeds and loads the lexicons once (start-up, reported separately), then times `import_page` over every
//! seed, repeated, and prints the best and median pass. Target: ≤ 50 ms per pass.

use std::time::{Duration, Instant};

use digest::import::import_page;
use digest::lexicon::Lexicon;
use digest::seed::read_seeds;

const PASSES: usize = 20;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let start = Instant::now();
    let lexicon = Lexicon::built_in();
    let lexicon_time = start.elapsed();
    let pages = read_seeds(&root.join("seeds")).expect("seeds read");
    let mut passes: Vec<Duration> = Vec::with_capacity(PASSES);
    let mut articles = 0;
    for _ in 0..PASSES {
        let start = Instant::now();
        articles = pages.iter().map(|p| std::hint::black_box(import_page(p, &lexicon)).len()).sum();
        passes.push(start.elapsed());
    }
    passes.sort();
    // The share of metric extraction, run alone over the same bodies.
    let bodies: Vec<String> = pages.iter().flat_map(|p| import_page(p, &lexicon)).map(|a| a.body).collect();
    let mut metric_passes: Vec<Duration> = (0..PASSES)
        .map(|_| {
            let start = Instant::now();
            for body in &bodies {
                std::hint::black_box(digest::metrics::extract(body, digest::article::Context::Body, &lexicon.units));
            }
            start.elapsed()
        })
        .collect();
    metric_passes.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("lexicon loading:            {:8.2} ms", ms(lexicon_time));
    println!("annotate {} seeds ({articles} articles), {PASSES} passes:", pages.len());
    println!("  best                      {:8.2} ms", ms(passes[0]));
    println!("  median                    {:8.2} ms", ms(passes[PASSES / 2]));
    println!("  worst                     {:8.2} ms", ms(passes[PASSES - 1]));
    println!(
        "of which metric extraction (bodies only), best {:.2} ms, median {:.2} ms",
        ms(metric_passes[0]),
        ms(metric_passes[PASSES / 2])
    );
}
