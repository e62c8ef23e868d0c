//! What each subcommand does: it parses nothing and prints through the helpers of `main.rs`.

use super::*;

pub(crate) fn execute(cli: Cli) -> Result<ExitCode, Failure> {
    let data = load_data(&cli.data)?;
    let quiet = cli.quiet;
    match cli.command {
        Command::Run {
            scenario,
            ensemble,
            json,
            report: report_file,
            out,
            series,
            posterior,
        } => {
            // A wrong extension or an unwritable path fails before the ensemble runs, not after.
            if let Some(path) = &out {
                export::Format::from_path(path)
                    .map_err(|e| Failure::Input(format!("error: {e}")))?;
                check_writable(path)?;
            }
            if let Some(path) = &report_file {
                check_report_path(path)?;
            }
            let sample = posterior::load(&data, &posterior)?;
            let scenario = posterior::apply(load_scenario(&data, &scenario)?, &sample, quiet);
            let opts = options(&scenario, &ensemble);
            let bar = progress_bar(opts.runs as u64, &scenario.name, quiet);
            // Each world is folded into the summary and written to the export as it finishes, in run
            // order, and then dropped: memory does not grow with the number of worlds. Only the HTML
            // report, which draws from every world, keeps them.
            let mut tally = razvilka_ensemble::Tally::new(&data, &scenario, opts.seed);
            let mut export = match &out {
                Some(path) => Some(
                    export::RunWriter::create(path, &data, opts.seed, series)
                        .map_err(|e| Failure::Run(e.to_string()))?,
                ),
                None => None,
            };
            let mut kept: Option<Vec<razvilka_world::Outcome>> =
                report_file.is_some().then(Vec::new);
            let mut each = |run: u64, outcome: razvilka_world::Outcome| -> Result<(), Failure> {
                tally.add(&outcome);
                if let Some(kept) = &mut kept {
                    kept.push(outcome.clone());
                }
                if let Some(export) = &mut export {
                    export
                        .write(run, outcome)
                        .map_err(|e| Failure::Run(e.to_string()))?;
                }
                Ok(())
            };
            razvilka_ensemble::run_each(
                &data,
                &scenario,
                opts,
                &|| bar.inc(1),
                &AtomicBool::new(false),
                &mut each,
            )?;
            bar.finish_and_clear();
            let summary = tally.finish();
            if let (Some(path), Some(export)) = (&out, export) {
                let rows = export.rows();
                let format = export.finish().map_err(|e| Failure::Run(e.to_string()))?;
                note(&format!(
                    "wrote {rows} runs to {} ({format})",
                    path.display()
                ));
            }
            // The sampled world (run 0) that the text and HTML reports tell, simulated once for both.
            let sample = if !json || report_file.is_some() {
                Some(
                    razvilka_world::simulate(&data, &scenario, scenario.divergence, opts.seed, 0)
                        .map_err(|e| Failure::Run(e.to_string()))?,
                )
            } else {
                None
            };
            if json {
                print_json(&summary)?;
            } else if let Some(sample) = &sample {
                emit(&report::run_report(&data, &scenario, &summary, sample))?;
            }
            if let (Some(file), Some(sample)) = (report_file, &sample) {
                let registry = data.registry_for(&scenario);
                let outcomes = kept.unwrap_or_default();
                let page = html::run_page(&data, &scenario, &registry, &summary, &outcomes, sample);
                write_report(&file, &page)?;
            }
        }
        Command::Compare {
            a,
            b,
            ensemble,
            json,
            report: report_file,
            posterior,
        } => {
            if let Some(path) = &report_file {
                check_report_path(path)?;
            }
            let sample = posterior::load(&data, &posterior)?;
            let a = posterior::apply(load_scenario(&data, &a)?, &sample, quiet);
            let b = posterior::apply(load_scenario(&data, &b)?, &sample, true);
            let opts = options(&b, &ensemble);
            let bar = progress_bar(opts.runs as u64, "twins", quiet);
            let pairs = razvilka_ensemble::run_pairs(&data, &a, &b, opts, &|| bar.inc(1))
                .map_err(|e| Failure::Run(e.to_string()))?;
            bar.finish_and_clear();
            let comparison = razvilka_ensemble::compare(&data, &a, &b, opts.seed, &pairs);
            if json {
                print_json(&comparison)?;
            } else {
                emit(&report::compare_report(&data, &comparison))?;
            }
            if let Some(file) = report_file {
                write_report(&file, &html::compare_page(&data, &a, &b, &comparison))?;
            }
        }
        Command::Timeline {
            scenario,
            run,
            seed,
            format,
            posterior,
        } => {
            let sample = posterior::load(&data, &posterior)?;
            let scenario = posterior::apply(load_scenario(&data, &scenario)?, &sample, quiet);
            // Any number names a world, but one past the scenario's ensemble is not among the worlds
            // its summary counts: say so rather than tell a world the summary never saw.
            if run >= u64::from(scenario.runs) {
                return Err(Failure::Input(format!(
                    "error: --run {run} is not a world of {}'s ensemble of {} worlds\n  = help: use --run 0 to {}",
                    scenario.name,
                    scenario.runs,
                    scenario.runs - 1
                )));
            }
            let seed = seed.unwrap_or(scenario.seed);
            let world = razvilka_world::simulate(&data, &scenario, scenario.divergence, seed, run)
                .map_err(|e| Failure::Run(e.to_string()))?;
            let timeline = narrative::Timeline::of(&data, &scenario, &world, seed, run);
            let text = match format {
                Format::Text => timeline.text(),
                Format::Md => timeline.markdown(),
                Format::Bbcode => timeline.bbcode(),
                Format::Json => {
                    serde_json::to_string_pretty(&timeline)
                        .map_err(|e| Failure::Run(format!("cannot write the JSON: {e}")))?
                        + "\n"
                }
            };
            emit(&text)?;
        }
        Command::Check { scenario } => {
            let s = load_scenario(&data, &scenario)?;
            emit(&format!(
                "{}: ok — {} ({} to {}, history replayed before {}, {} intervention{})\n",
                scenario,
                s.title,
                s.start,
                s.end,
                s.divergence,
                s.interventions.len(),
                if s.interventions.len() == 1 { "" } else { "s" }
            ))?;
        }
        Command::Validate {
            runs,
            seed,
            threads,
            json,
            report: report_file,
        } => {
            // From the --data directory, if given (Data::companion).
            let targets = validate::targets(&data)?;
            let mut rows = Vec::new();
            for (name, kind) in [
                ("otl", validate::RunKind::Baseline),
                ("free-1922", validate::RunKind::Free),
            ] {
                let scenario = load_scenario(&data, name)?;
                let opts = Options {
                    runs,
                    seed,
                    threads,
                };
                let bar = progress_bar(runs as u64, name, quiet);
                let outcomes = razvilka_ensemble::run(&data, &scenario, opts, &|| bar.inc(1))
                    .map_err(|e| Failure::Run(e.to_string()))?;
                bar.finish_and_clear();
                rows.extend(
                    targets
                        .iter()
                        .filter(|t| t.run() == kind)
                        .map(|t| t.check(&data, &outcomes)),
                );
            }
            let verdict = validate::Verdict::of(&rows);
            if json {
                let out = serde_json::json!({
                    "runs": runs,
                    "seed": seed,
                    "pass": verdict.pass,
                    "verdict": verdict,
                    "targets": rows,
                });
                print_json(&out)?;
            } else {
                emit(&validate::table(&rows))?;
            }
            if let Some(path) = report_file {
                write_report(&path, &html::validation_page(&rows, runs, seed))?;
            }
            if !verdict.pass {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Claims {
            runs,
            prior_runs,
            seed,
            threads,
            file,
            report: report_file,
            json,
            markdown,
            posterior,
        } => {
            let sample = posterior::load(&data, &posterior)?;
            // --file, else the data's own claims.toml (that of --data DIR, if given).
            let list = match &file {
                Some(path) => {
                    let name = path.display().to_string();
                    let bytes = std::fs::read(path)
                        .map_err(|e| Failure::Input(format!("error: cannot read {name}: {e}")))?;
                    claims::parse(&Diagnostic::text_of(&name, bytes)?, &name)?
                }
                None => claims::load(&data)?,
            };
            if let Some(path) = &report_file {
                check_report_path(path)?;
            }
            let settings = claims::Settings {
                runs,
                prior_runs,
                seed,
                threads,
            };
            // One tick per world or twin pair, in each group of claims about the same worlds.
            let bar = progress_bar(list.work(settings), "claims", quiet);
            let answers = claims::evaluate(&data, &list, settings, &|| bar.inc(1))
                .map_err(|e| Failure::Run(e.to_string()))?;
            bar.finish_and_clear();
            let under = posterior::claims(&data, &list, &answers, settings, &sample, quiet)?;
            if let (true, Some(under)) = (json, &under) {
                print_json(&posterior::ClaimsWithPosterior {
                    answers: &answers,
                    under_posterior: under,
                })?;
            } else if json {
                print_json(&answers)?;
            } else if markdown {
                emit(&claims::markdown(&answers, settings))?;
            } else {
                emit(&claims::table(&answers, settings))?;
                if let Some(under) = &under {
                    emit(&claims::posterior_table(under))?;
                }
            }
            if let Some(file) = report_file {
                write_report(&file, &claims::page(&answers, settings))?;
            }
        }
        Command::Sensitivity {
            scenario,
            output,
            tornado,
            n,
            resamples,
            worlds_per_point,
            runs,
            top,
            seed,
            threads,
            json,
        } => {
            let scenario = load_scenario(&data, &scenario)?;
            let output = sensitivity::Output::parse(&output, &data)
                .map_err(|e| Failure::Input(format!("error: {e}")))?;
            let settings = sensitivity::Settings {
                n: n as usize,
                resamples: resamples as usize,
                worlds_per_point,
                runs,
                seed,
                threads,
            };
            let inputs = sensitivity::factors(&data.registry_for(&scenario), &scenario).len();
            let fail = |e: sensitivity::SensitivityError| Failure::Run(e.to_string());
            let text = if tornado {
                let bar = progress_bar((2 * inputs as u64 + 1) * runs as u64, "tornado", quiet);
                let t = sensitivity::tornado(&data, &scenario, &output, settings, &|| bar.inc(1))
                    .map_err(fail)?;
                bar.finish_and_clear();
                if json {
                    print_json(&t)?;
                    String::new()
                } else {
                    sensitivity::tornado_table(&t, top)
                }
            } else {
                let bar = progress_bar(n as u64 * (inputs as u64 + 3), "sobol points", quiet);
                let r = sensitivity::sobol(&data, &scenario, &output, settings, &|| bar.inc(1))
                    .map_err(fail)?;
                bar.finish_and_clear();
                if json {
                    print_json(&r)?;
                    String::new()
                } else {
                    sensitivity::sobol_table(&r, top)
                }
            };
            emit(&text)?;
        }
        Command::Serve {
            port,
            host,
            db,
            max_runs,
            max_concurrent,
            max_queue,
            running_after_secs,
            timeout_secs,
            max_body_bytes,
            threads,
            posterior,
        } => {
            let posterior = posterior::load(&data, &posterior)?;
            let config = razvilka_web::Config {
                host,
                port,
                db,
                // The data this command line was given (checked above): the server reads it too.
                data_dir: cli.data.clone(),
                max_runs,
                max_concurrent,
                max_queue,
                running_after: std::time::Duration::from_secs(running_after_secs),
                timeout: std::time::Duration::from_secs(timeout_secs),
                max_body_bytes,
                threads,
                posterior,
                ..razvilka_web::Config::default()
            };
            let runtime = tokio::runtime::Runtime::new()
                .map_err(|e| Failure::Run(format!("cannot start the server's runtime: {e}")))?;
            runtime
                .block_on(razvilka_web::serve(config))
                .map_err(|e| Failure::Run(e.to_string()))?;
        }
        Command::Assumptions { json } => {
            if json {
                let list: Vec<_> = data.registry.assumptions().iter().collect();
                print_json(&list)?;
            } else {
                emit(&report::assumptions_table(&data.registry))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
