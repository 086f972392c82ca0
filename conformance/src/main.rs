//! `differential`: runs cnarch side by side with a real reference implementation on seeded
//! generated inputs, prints the documented deliberate differences it met, and shrinks any other
//! disagreement to a minimal case (exit status 1).
//!
//! ```text
//! differential <reference> --bin <path to the reference's harness> [--cases N] [--seed S]
//! ```
//!
//! References: `cron` (robfig/cron v3 `ParseStandard` + `Next`, as Kubernetes CronJob uses it);
//! `am-matchers`, `am-routes`, `am-inhibit`, `am-timeintervals` (Alertmanager 0.25's matcher
//! parser, routing tree, inhibitor and time intervals).
//! The reference harnesses are small Go programs under `conformance/go/`, built by
//! `conformance/run.sh` against Debian's packaged sources.

mod alertmanager;
mod cron;
mod harness;
mod rng;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("differential: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<bool, String> {
    let usage = "usage: differential <cron|am-matchers|am-routes|am-inhibit|am-timeintervals> --bin PATH [--cases N] [--seed S]";
    let reference = args.first().ok_or(usage)?;
    let mut bin = None;
    let mut cases = 10_000usize;
    let mut seed = 1u64;
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .ok_or_else(|| format!("{flag} needs a value; {usage}"))?;
        match flag.as_str() {
            "--bin" => bin = Some(value.clone()),
            "--cases" => {
                cases = value
                    .parse()
                    .map_err(|_| format!("--cases: expected a count, found `{value}`"))?
            }
            "--seed" => {
                seed = value
                    .parse()
                    .map_err(|_| format!("--seed: expected an integer, found `{value}`"))?
            }
            _ => return Err(format!("unknown option `{flag}`; {usage}")),
        }
    }
    let bin = bin.ok_or(usage)?;
    let reference_bin = harness::Process::new(&bin);
    match reference.as_str() {
        "cron" => harness::run(&cron::Cron, &reference_bin, cases, seed),
        "am-matchers" => harness::run(&alertmanager::Matchers, &reference_bin, cases, seed),
        "am-routes" => harness::run(&alertmanager::Routes, &reference_bin, cases, seed),
        "am-inhibit" => harness::run(&alertmanager::Inhibition, &reference_bin, cases, seed),
        "am-timeintervals" => {
            harness::run(&alertmanager::TimeIntervals, &reference_bin, cases, seed)
        }
        other => Err(format!("unknown reference `{other}`; {usage}")),
    }
}
