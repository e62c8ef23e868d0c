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
            // Each world is folded into the summary and written to the export as it finishes, in run
            // order, and then dropped: memory does not grow with the number of worlds. Only the HTML
            // report, which draws from every world, keeps them. The sampled world (run 0) that the
            // text and HTML reports tell is simulated once for both.
            let export = match &out {
                Some(path) => Some(
                    export::RunWriter::create(path, &data, opts.seed, series)
                        .map_err(|e| Failure::Run(e.to_string()))?,
                ),
                None => None,
            };
            let request = razvilka_app::RunRequest {
                export,
                keep: report_file.is_some(),
                sample: !json || report_file.is_some(),
            };
            let result =
                razvilka_app::run(&data, &scenario, opts, request, &Stages::new(quiet), None)
                    .map_err(|e| Failure::Run(e.to_string()))?;
            if let (Some(path), Some((rows, format))) = (&out, result.exported) {
                note(&format!(
                    "wrote {rows} runs to {} ({format})",
                    path.display()
                ));
            }
            if json {
                print_json(&result.summary)?;
            } else if let Some(sample) = &result.sample {
                emit(&report::run_report(
                    &data,
                    &scenario,
                    &result.summary,
                    sample,
                ))?;
            }
            if let (Some(file), Some(sample)) = (report_file, &result.sample) {
                let registry = data.registry_for(&scenario);
                let page = html::run_page(
                    &data,
                    &scenario,
                    &registry,
                    &result.summary,
                    &result.outcomes,
                    sample,
                );
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
            let (_, comparison) =
                razvilka_app::twins(&data, &a, &b, opts, &Stages::new(quiet), None)
                    .map_err(|e| Failure::Run(e.to_string()))?;
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
            let timeline = razvilka_app::timeline(&data, &scenario, seed, run)
                .map_err(|e| Failure::Run(e.to_string()))?;
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
            let options = Options {
                runs,
                seed,
                threads,
            };
            let (baseline, free) = (
                load_scenario(&data, "otl")?,
                load_scenario(&data, "free-1922")?,
            );
            let validation = razvilka_app::validate(
                &data,
                &targets,
                &baseline,
                &free,
                options,
                &Stages::new(quiet),
            )
            .map_err(|e| Failure::Run(e.to_string()))?;
            if json {
                print_json(&validation.json())?;
            } else {
                emit(&present::validation::table(&validation.rows))?;
            }
            if let Some(path) = report_file {
                write_report(&path, &html::validation_page(&validation.rows, runs, seed))?;
            }
            let verdict = validation.verdict;
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
            let answers = razvilka_app::claims(&data, &list, settings, &Stages::new(quiet))
                .map_err(|e| Failure::Run(e.to_string()))?;
            let under = posterior::claims(&data, &list, &answers, settings, &sample, quiet)?;
            if let (true, Some(under)) = (json, &under) {
                print_json(&posterior::ClaimsWithPosterior {
                    answers: &answers,
                    under_posterior: under,
                })?;
            } else if json {
                print_json(&answers)?;
            } else if markdown {
                emit(&present::claims::markdown(&answers, settings))?;
            } else {
                emit(&present::claims::table(&answers, settings))?;
                if let Some(under) = &under {
                    emit(&present::claims::posterior_table(under))?;
                }
            }
            if let Some(file) = report_file {
                write_report(&file, &present::claims::page(&answers, settings))?;
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
                    present::sensitivity::tornado_table(&t, top)
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
                    present::sensitivity::sobol_table(&r, top)
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
            claims_runs,
            claims_prior_runs,
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
                claims_runs,
                claims_prior_runs,
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
