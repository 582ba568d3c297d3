//! The command line, as a library function so tests can run it in-process.
//!
//! Exit codes: 0 ok, 1 findings or drift, 2 usage or input error.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diag::Diagnostic;
use crate::render::write::{self, FileDiff};
use crate::{plan, profile, render};

/// Exit code: success.
pub const OK: i32 = 0;
/// Exit code: findings or drift.
pub const FINDINGS: i32 = 1;
/// Exit code: usage or input error.
pub const INPUT: i32 = 2;

/// capform: capacity profiles → reviewed-ready Terraform modules for DynamoDB.
#[derive(Debug, Parser)]
#[command(name = "capform", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render a profile into a Terraform module directory.
    Render {
        /// The profile (YAML).
        profile: PathBuf,
        /// The module directory to write (created if missing).
        #[arg(short, long)]
        output: PathBuf,
        /// Size the module for N customers instead of the profile's `customers`.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        customers: Option<u64>,
        /// Write nothing; exit 1 and print a unified diff if the directory differs.
        #[arg(long)]
        check: bool,
        /// Write even if the directory holds files capform did not generate (they are kept).
        #[arg(long)]
        force: bool,
        /// Let Terraform create, change and remove the indexes of these autoscaled tables for
        /// one apply (profile keys, comma-separated); see README § Index capacity.
        #[arg(long, value_name = "TABLE,…", value_delimiter = ',', num_args = 1..)]
        manage_indexes: Vec<String>,
        /// A price list for `billing: auto` and CAPACITY.md (default: embedded us-east-1).
        #[arg(long, value_name = "FILE")]
        pricing: Option<PathBuf>,
    },
    /// Plan capacity and monthly cost across customer tiers.
    Plan {
        /// The profile (YAML).
        profile: PathBuf,
        /// Tiers, comma-separated.
        #[arg(long, value_name = "N,N,…", value_delimiter = ',', default_values_t = vec![100u64, 1_000, 5_000, 10_000], value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        customers: Vec<u64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
        format: PlanFormat,
        /// A price list replacing the embedded us-east-1 one (see pricing/us-east-1.yaml).
        #[arg(long, value_name = "FILE")]
        pricing: Option<PathBuf>,
        /// Apply the AWS free tiers.
        #[arg(long)]
        free_tier: bool,
    },
    /// Check profiles, or a Terraform module (and its drift from a profile). Writes nothing.
    Validate {
        /// Profiles to check.
        #[arg(required_unless_present_any = ["terraform", "plan"], conflicts_with_all = ["terraform", "plan"])]
        profiles: Vec<PathBuf>,
        /// Check this module directory instead (`.tf` and `.tf.json`, local child modules
        /// followed).
        #[arg(long, value_name = "DIR")]
        terraform: Option<PathBuf>,
        /// Judge the JSON of `terraform show -json PLANFILE`, where every value is resolved;
        /// with --terraform, findings point at the configuration.
        #[arg(long, value_name = "FILE")]
        plan: Option<PathBuf>,
        /// With --terraform: a root variable's value, as `terraform plan -var` (repeatable).
        #[arg(long = "var", value_name = "NAME=VALUE", requires = "terraform", value_parser = parse_var)]
        vars: Vec<(String, String)>,
        /// With --terraform: a variable file, as `terraform plan -var-file` (repeatable;
        /// `terraform.tfvars` and `*.auto.tfvars` are read as Terraform reads them).
        #[arg(long = "var-file", value_name = "FILE", requires = "terraform")]
        var_files: Vec<PathBuf>,
        /// With --terraform: also report every difference from what this profile renders.
        #[arg(long, value_name = "PROFILE", requires = "terraform")]
        profile: Option<PathBuf>,
        /// Check at N customers instead of each profile's `customers`.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        customers: Option<u64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// `--deny warnings`: warnings fail the run too.
        #[arg(long, value_enum)]
        deny: Option<Deny>,
    },
    /// Print a rule's documentation (`capform explain CF100`); without a rule, list them all.
    Explain {
        /// The rule ID.
        rule: Option<String>,
        /// Print every rule's documentation as Markdown (docs/rules.md).
        #[arg(long, conflicts_with = "rule")]
        markdown: bool,
    },
    /// Replay load scenarios against the module's capacity, second by second: what throttles.
    Simulate {
        /// The profile (YAML).
        profile: PathBuf,
        /// Run scenarios at N customers (a scenario's own `customers` wins).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        customers: Option<u64>,
        /// Only these scenarios (repeatable; `day` is the built-in day).
        #[arg(long, value_name = "NAME")]
        scenario: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
        format: PlanFormat,
        /// A price list replacing the embedded us-east-1 one.
        #[arg(long, value_name = "FILE")]
        pricing: Option<PathBuf>,
        /// Replay recorded traffic: the output of `aws cloudwatch get-metric-data` (README
        /// § Simulate), instead of the profile's scenarios.
        #[arg(long, value_name = "FILE", conflicts_with = "scenario")]
        metrics: Option<PathBuf>,
        /// Write one SVG chart per table and index into DIR/<scenario>/ (demand, capacity and
        /// throttled requests over time).
        #[arg(long, value_name = "DIR")]
        svg: Option<PathBuf>,
        /// Print the `--metric-data-queries` document that fetches what `--metrics` reads.
        #[arg(long, conflicts_with_all = ["scenario", "metrics"])]
        metrics_query: bool,
    },
    /// The cheapest autoscaling ranges for which every scenario's expectations hold.
    Tune {
        /// The profile (YAML).
        profile: PathBuf,
        /// Tune at N customers (a scenario's own `customers` wins).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        customers: Option<u64>,
        /// Only these scenarios (repeatable; the built-in day always counts, for its cost and
        /// because a normal day must not throttle).
        #[arg(long, value_name = "NAME")]
        scenario: Vec<String>,
        /// A price list replacing the embedded us-east-1 one.
        #[arg(long, value_name = "FILE")]
        pricing: Option<PathBuf>,
    },
    /// Write a commented starter profile (one table, an index, monitoring) and the profile
    /// JSON Schema beside it, for editors; without -o, print the profile.
    Init {
        /// The profile to write (refused if it exists, unless --force).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The profile's name (the prefix of every resource name).
        #[arg(long, value_name = "NAME", default_value = "my-service")]
        name: String,
        /// Replace an existing profile.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print capform's man page, or write one page per command into a directory.
    Man {
        /// Write capform.1 and capform-<command>.1 here instead of printing capform.1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Print the profile JSON Schema.
    Schema {
        /// Print the profile reference as a Markdown table instead.
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum PlanFormat {
    Table,
    Markdown,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    Warnings,
}

fn cmd_init(
    output: Option<&std::path::Path>,
    name: &str,
    force: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let Some(path) = output else {
        return match crate::init::starter(name) {
            Ok(text) => {
                let _ = out.write_all(text.as_bytes());
                OK
            }
            Err(e) => {
                let _ = writeln!(err, "capform: {e}");
                INPUT
            }
        };
    };
    match crate::init::write(path, name, force) {
        Ok(w) => {
            let _ = writeln!(err, "capform: wrote {}", w.profile.display());
            if let Some(s) = &w.schema {
                let _ = writeln!(err, "capform: wrote {} (for editors)", s.display());
            }
            if let Some(s) = &w.foreign_schema {
                let _ = writeln!(
                    err,
                    "capform: {} is not capform's schema; left as it is (the profile's `$schema` line points at it)",
                    s.display()
                );
            }
            let _ = writeln!(
                err,
                "capform: next: capform validate {0} && capform render {0} -o modules/{name}",
                w.profile.display()
            );
            OK
        }
        Err(e) => {
            let _ = writeln!(err, "capform: {e}");
            INPUT
        }
    }
}

fn cmd_man(dir: Option<&std::path::Path>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let cmd = <Cli as clap::CommandFactory>::command();
    let Some(dir) = dir else {
        let mut buf = Vec::new();
        if let Err(e) = clap_mangen::Man::new(cmd).render(&mut buf) {
            let _ = writeln!(err, "capform: {e}");
            return INPUT;
        }
        let _ = out.write_all(&buf);
        return OK;
    };
    let pages = || -> std::io::Result<usize> {
        std::fs::create_dir_all(dir)?;
        let mut n = 0;
        let mut write = |name: &str, c: clap::Command| -> std::io::Result<()> {
            let mut buf = Vec::new();
            clap_mangen::Man::new(c).render(&mut buf)?;
            std::fs::write(dir.join(format!("{name}.1")), buf)?;
            n += 1;
            Ok(())
        };
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = format!("capform-{}", sub.get_name());
            write(&name, sub.clone().name(name.clone()))?;
        }
        write("capform", cmd.clone())?;
        Ok(n)
    };
    match pages() {
        Ok(n) => {
            let _ = writeln!(err, "capform: wrote {n} man pages to {}", dir.display());
            OK
        }
        Err(e) => {
            let _ = writeln!(err, "capform: {}: {e}", dir.display());
            INPUT
        }
    }
}

/// Run the CLI with these arguments; returns the exit code. Output goes to the given writers.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    // A render's one-time work starts before the arguments are even parsed (see `warm_up`).
    if args.get(1).is_some_and(|a| a == "render") {
        warm_up();
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { INPUT } else { OK };
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                err.write_all(text.as_bytes())
            } else {
                out.write_all(text.as_bytes())
            };
            return code;
        }
    };
    match cli.command {
        Command::Plan {
            profile,
            customers,
            format,
            pricing,
            free_tier,
        } => cmd_plan(
            &profile,
            customers,
            format,
            pricing.as_deref(),
            free_tier,
            out,
            err,
        ),
        Command::Validate {
            profiles,
            terraform,
            plan,
            vars,
            var_files,
            profile,
            customers,
            format,
            deny,
        } => {
            let report = if terraform.is_some() || plan.is_some() {
                let opts = crate::validate::TerraformOptions {
                    profile,
                    customers,
                    inputs: crate::terraform::eval::Inputs { vars, var_files },
                    plan,
                };
                crate::validate::terraform_with(terraform.as_deref(), &opts)
            } else {
                crate::validate::profiles(&profiles, customers)
            };
            let text = match format {
                Format::Human => crate::validate::output::human(&report, color_stderr()),
                Format::Json => crate::validate::output::json(&report),
                Format::Sarif => crate::validate::output::sarif(&report),
            };
            // human output is diagnostics, so it goes to stderr; machine formats to stdout
            let _ = if format == Format::Human {
                err.write_all(text.as_bytes())
            } else {
                out.write_all(text.as_bytes())
            };
            if report.unreadable > 0 {
                INPUT
            } else if report.fails(deny == Some(Deny::Warnings)) {
                FINDINGS
            } else {
                OK
            }
        }
        Command::Explain { markdown: true, .. } => {
            let _ = out.write_all(crate::rules::markdown().as_bytes());
            OK
        }
        Command::Explain { rule, .. } => match rule {
            Some(id) => match crate::rules::lookup(&id) {
                Some(r) => {
                    let _ = out.write_all(crate::rules::doc(r).as_bytes());
                    OK
                }
                None => {
                    let _ = writeln!(err, "capform: no rule `{id}`; `capform explain` lists them");
                    INPUT
                }
            },
            None => {
                for r in crate::rules::RULES {
                    let _ = writeln!(
                        out,
                        "{}  {:<40} {:<7} {}",
                        r.id, r.name, r.severity, r.summary
                    );
                }
                OK
            }
        },
        Command::Simulate {
            profile,
            customers,
            scenario,
            format,
            pricing,
            metrics,
            svg,
            metrics_query,
        } => {
            if metrics_query {
                return print_metrics_query(&profile, out, err);
            }
            let sim = SimulateArgs {
                customers,
                names: &scenario,
                format,
                pricing: pricing.as_deref(),
                metrics: metrics.as_deref(),
                svg: svg.as_deref(),
            };
            cmd_simulate(&profile, &sim, out, err)
        }
        Command::Tune {
            profile,
            customers,
            scenario,
            pricing,
        } => cmd_tune(&profile, customers, &scenario, pricing.as_deref(), out, err),
        Command::Init {
            output,
            name,
            force,
        } => cmd_init(output.as_deref(), &name, force, out, err),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "capform", out);
            OK
        }
        Command::Man { dir } => cmd_man(dir.as_deref(), out, err),
        Command::Schema { markdown } => {
            let text = if markdown {
                profile::reference::markdown()
            } else {
                profile::schema::schema_text()
            };
            let _ = out.write_all(text.as_bytes());
            OK
        }
        Command::Render {
            profile,
            output,
            customers,
            check,
            force,
            manage_indexes,
            pricing,
        } => {
            let pricing = match load_pricing(pricing.as_deref(), err) {
                Ok(p) => p,
                Err(code) => return code,
            };
            let options = plan::Options {
                manage_indexes,
                pricing: Some(std::sync::Arc::new(pricing)),
            };
            cmd_render(
                &profile, &output, customers, check, force, options, out, err,
            )
        }
    }
}

fn load_pricing(
    path: Option<&std::path::Path>,
    err: &mut dyn Write,
) -> Result<crate::capacity::pricing::Pricing, i32> {
    use crate::capacity::pricing::Pricing;
    match path {
        None => Ok(Pricing::default_list().clone()),
        Some(p) => profile::pricing::load_file(p).map_err(|diags| {
            print_diags(err, &diags);
            let _ = writeln!(err, "capform: {} is not a usable price list", p.display());
            INPUT
        }),
    }
}

/// `NAME=VALUE` of `--var`.
fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not NAME=VALUE")),
    }
}

fn color_stderr() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

fn print_diags(err: &mut dyn Write, diags: &[Diagnostic]) {
    for d in diags {
        let _ = writeln!(err, "{d}");
        if let Some(h) = &d.help {
            let _ = writeln!(err, "  help: {h}");
        }
    }
}

fn cmd_plan(
    profile: &std::path::Path,
    customers: Vec<u64>,
    format: PlanFormat,
    pricing: Option<&std::path::Path>,
    free_tier: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let pricing = match load_pricing(pricing, err) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let loaded = match load_profile(profile, err) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let mut tiers: Vec<u64> = customers;
    tiers.sort_unstable();
    tiers.dedup();
    let report = crate::tier::output::tiers(&loaded, &tiers, &pricing, free_tier);
    let text = match format {
        PlanFormat::Table => crate::tier::output::text(&loaded, &report, &pricing, free_tier),
        PlanFormat::Markdown => {
            crate::tier::output::markdown(&loaded, &report, &pricing, free_tier)
        }
        PlanFormat::Json => crate::tier::output::json_output(&loaded, &report, &pricing, free_tier),
    };
    let _ = out.write_all(text.as_bytes());
    // an error finding printed at any tier fails the run, as in `validate`
    if report.iter().any(crate::tier::Tier::has_errors) {
        FINDINGS
    } else {
        OK
    }
}

/// Load a profile, or print its problems and give the input-error exit code.
fn load_profile(path: &std::path::Path, err: &mut dyn Write) -> Result<profile::Loaded, i32> {
    profile::load_file(path).map_err(|diags| {
        print_diags(err, &diags);
        INPUT
    })
}

/// `simulate --metrics-query`: the queries that fetch what `--metrics` replays.
fn print_metrics_query(path: &std::path::Path, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match load_profile(path, err) {
        Ok(l) => {
            let q = crate::simulate::metrics::queries(&l.profile);
            let _ = writeln!(out, "{}", serde_json::to_string_pretty(&q).expect("JSON"));
            OK
        }
        Err(code) => code,
    }
}

/// The profile and the scenarios asked for (all when none is named), or the exit code.
fn scenarios_of(
    path: &std::path::Path,
    customers: Option<u64>,
    names: &[String],
    keep_day: bool,
    err: &mut dyn Write,
) -> Result<(profile::Loaded, Vec<crate::simulate::Spec>), i32> {
    let loaded = load_profile(path, err)?;
    let customers = customers.unwrap_or(loaded.profile.customers);
    let all = crate::simulate::specs(&loaded.profile, customers);
    if let Some(unknown) = names.iter().find(|n| !all.iter().any(|s| &s.name == *n)) {
        let known: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        let _ = writeln!(
            err,
            "capform: {}: no scenario `{}`; the profile has: {}",
            path.display(),
            crate::text::printable(unknown),
            known.join(", ")
        );
        return Err(INPUT);
    }
    let specs = all
        .into_iter()
        .filter(|s| {
            names.is_empty()
                || names.contains(&s.name)
                || (keep_day && s.name == crate::simulate::DAY)
        })
        .collect();
    Ok((loaded, specs))
}

/// What `capform simulate` was asked for.
struct SimulateArgs<'a> {
    customers: Option<u64>,
    names: &'a [String],
    format: PlanFormat,
    pricing: Option<&'a std::path::Path>,
    metrics: Option<&'a std::path::Path>,
    svg: Option<&'a std::path::Path>,
}

fn cmd_simulate(
    path: &std::path::Path,
    args: &SimulateArgs<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let (customers, format) = (args.customers, args.format);
    let pricing = match load_pricing(args.pricing, err) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (loaded, mut specs) = match scenarios_of(path, customers, args.names, false, err) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if let Some(file) = args.metrics {
        let replay = match crate::simulate::metrics::load(file, &loaded.profile) {
            Ok(r) => r,
            Err(diags) => {
                print_diags(err, &diags);
                return INPUT;
            }
        };
        let customers = customers.unwrap_or(loaded.profile.customers);
        specs = vec![crate::simulate::Spec::recorded(replay, customers)];
    }
    let options = plan::Options::priced(&pricing);
    let runs: Vec<crate::simulate::Run> = specs
        .iter()
        .map(|s| crate::simulate::run(&loaded, s, &pricing, &options))
        .collect();
    let customers = customers.unwrap_or(loaded.profile.customers);
    let text = match format {
        PlanFormat::Table => crate::simulate::output::text(&runs),
        PlanFormat::Markdown => crate::simulate::output::markdown(&runs),
        PlanFormat::Json => {
            let mut t =
                serde_json::to_string_pretty(&crate::simulate::output::json(customers, &runs))
                    .expect("JSON");
            t.push('\n');
            t
        }
    };
    let _ = out.write_all(text.as_bytes());
    if let Some(dir) = args.svg {
        match crate::simulate::chart::write_all(dir, &runs) {
            Ok(files) => {
                let _ = writeln!(
                    err,
                    "capform: wrote {} charts under {}",
                    files.len(),
                    dir.display()
                );
            }
            Err(e) => {
                let _ = writeln!(err, "capform: --svg: {e}");
                return INPUT;
            }
        }
    }
    let failed: Vec<String> = runs
        .iter()
        .flat_map(|r| {
            r.failures
                .iter()
                .map(|f| crate::simulate::output::failure_text(&r.spec.name, f))
        })
        .collect();
    for f in &failed {
        let _ = writeln!(err, "capform: {f}");
    }
    if failed.is_empty() { OK } else { FINDINGS }
}

fn cmd_tune(
    path: &std::path::Path,
    customers: Option<u64>,
    names: &[String],
    pricing: Option<&std::path::Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let pricing = match load_pricing(pricing, err) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (loaded, specs) = match scenarios_of(path, customers, names, true, err) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let customers = customers.unwrap_or(loaded.profile.customers);
    let options = plan::Options::priced(&pricing);
    let module = plan::resolve_tier(&loaded.profile, &loaded.file, customers, &options);
    let tuning = crate::simulate::tune::tune(&loaded.profile, &module, &specs, &pricing);
    let _ = writeln!(
        out,
        "# capform tune at {customers} customers: the cheapest ranges, at each table's target, for which every scenario holds ({})",
        specs
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for d in &tuning.dimensions {
        let name = match &d.index {
            Some(ix) => format!("{} / {ix}", d.table),
            None => d.table.clone(),
        };
        let after = d
            .after
            .map_or("none within the quota".into(), |(a, b)| format!("{a}–{b}"));
        let _ = writeln!(
            out,
            "#   {name} {}: {}–{} → {after}",
            d.dimension, d.before.0, d.before.1
        );
    }
    for (t, why) in &tuning.skipped {
        let _ = writeln!(out, "#   {t}: not tuned ({why})");
    }
    let _ = writeln!(
        out,
        "# monthly provisioned capacity over the built-in day: ${:.2} → ${:.2} ({:+.2})",
        tuning.monthly_before,
        tuning.monthly_after,
        tuning.monthly_after - tuning.monthly_before
    );
    let _ = out.write_all(crate::simulate::tune::snippet(&tuning).as_bytes());
    if tuning.complete() {
        return OK;
    }
    for (t, on_demand) in &tuning.on_demand_passes {
        let _ = writeln!(
            err,
            "capform: {t}: no autoscaling range within the {}-unit table quota meets the scenarios; {}",
            crate::capacity::sim::TABLE_QUOTA_UNITS,
            if *on_demand {
                "on-demand billing (`billing: on_demand`) does"
            } else {
                "on-demand billing does not either: the load needs a schedule (capacity raised before it) or a higher table quota"
            }
        );
    }
    FINDINGS
}

/// Start the one-time work of a render (compiling the profile schema, the templates and the
/// worker pool) on threads of their own, so it overlaps with reading and parsing the profile
/// instead of following it; whoever needs a piece first waits for it (`OnceLock`).
fn warm_up() {
    std::thread::spawn(profile::schema::warm_up);
    std::thread::spawn(|| {
        render::warm_up();
        rayon::spawn(|| {});
    });
}

#[allow(clippy::too_many_arguments)]
fn cmd_render(
    path: &std::path::Path,
    output: &std::path::Path,
    customers: Option<u64>,
    check: bool,
    force: bool,
    options: plan::Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let t0 = std::time::Instant::now();
    let loaded = match profile::load_file(path) {
        Ok(l) => l,
        Err(diags) => {
            print_diags(err, &diags);
            let _ = writeln!(
                err,
                "capform: {} not rendered; {} left unchanged",
                path.display(),
                output.display()
            );
            return INPUT;
        }
    };
    let customers = customers.unwrap_or(loaded.profile.customers);
    crate::timing::log("profile", "load", t0);
    if let Some(unknown) = options
        .manage_indexes
        .iter()
        .find(|k| !loaded.profile.tables.contains_key(k.as_str()))
    {
        let _ = writeln!(
            err,
            "capform: --manage-indexes {}: the profile has no table `{}`; nothing was changed",
            crate::text::printable(unknown),
            crate::text::printable(unknown)
        );
        return INPUT;
    }
    let t0 = std::time::Instant::now();
    let requested = options.manage_indexes.clone();
    // A profile that does not validate at this tier is not rendered: what validate calls an
    // error would be refused by AWS or break a production policy (waivers apply as there).
    let identity = render::identity(&loaded.profile, customers, &options);
    let (plan, findings) = crate::tier::module(&loaded, customers, options);
    crate::timing::log("plan", "all tiers", t0);
    if !findings.is_empty() {
        let mut report = crate::validate::Report::default();
        report
            .sources
            .insert(loaded.file.clone(), loaded.text.as_str().into());
        report.diagnostics = findings;
        report.finish();
        let _ = err.write_all(crate::validate::output::human(&report, color_stderr()).as_bytes());
        let errors = report.count(crate::diag::Severity::Error);
        if errors > 0 {
            let _ = writeln!(
                err,
                "capform: {} not rendered: {errors} error{} at {customers} customers (`capform validate` shows the same); {} left unchanged",
                path.display(),
                if errors == 1 { "" } else { "s" },
                output.display()
            );
            return FINDINGS;
        }
    }
    if !check && let Some(code) = index_changes(output, &plan, &requested, err) {
        return code;
    }
    let t0 = std::time::Instant::now();
    let tables = plan.tables.len();
    let files = match render::render_owned(plan) {
        Ok(f) => f,
        Err(e) => {
            let _ = writeln!(err, "capform: {e}");
            return INPUT;
        }
    };
    if check {
        return match write::check_module(output, &files) {
            Ok(drift) if drift.is_empty() => OK,
            Ok(drift) => {
                for d in &drift {
                    let _ = match d {
                        FileDiff::Missing(name) => {
                            writeln!(out, "missing: {}", output.join(name).display())
                        }
                        FileDiff::Extra(name) => {
                            writeln!(out, "would be removed: {}", output.join(name).display())
                        }
                        FileDiff::Changed(_, diff) => write!(out, "{diff}"),
                        FileDiff::Interrupted(name) => writeln!(
                            out,
                            "interrupted render: {} (the next render completes it)",
                            output.join(name).display()
                        ),
                    };
                }
                let _ = writeln!(
                    err,
                    "capform: {} differs from what {} renders ({} file(s))",
                    output.display(),
                    path.display(),
                    drift.len()
                );
                FINDINGS
            }
            Err(e) => {
                let _ = writeln!(err, "capform: {e}");
                INPUT
            }
        };
    }
    crate::timing::log("render", "total", t0);
    let t0 = std::time::Instant::now();
    let written = write::write_rendered(output, &files, force, &identity);
    crate::timing::log("write", "module", t0);
    match written {
        Ok(w) => {
            report_written(err, output, &w);
            let _ = writeln!(
                err,
                "capform: wrote {} ({} files, {} tables, {} customers)",
                output.display(),
                files.len(),
                tables,
                customers
            );
            OK
        }
        Err(e) if e.changed_nothing() => {
            let _ = writeln!(err, "capform: {e}; nothing was changed");
            INPUT
        }
        Err(e) => {
            let _ = writeln!(err, "capform: {e}");
            INPUT
        }
    }
}

/// Every file a write removed, or left because it was edited, is named: nothing disappears or
/// changes hands silently.
fn report_written(err: &mut dyn Write, dir: &std::path::Path, w: &write::Written) {
    for name in &w.recovered {
        let _ = writeln!(
            err,
            "capform: finished an interrupted render ({})",
            dir.join(name).display()
        );
    }
    for name in &w.removed {
        let _ = writeln!(
            err,
            "capform: removed {} (no longer generated)",
            dir.join(name).display()
        );
    }
    for name in &w.overwritten_edits {
        let _ = writeln!(
            err,
            "capform: overwrote {} (edited by hand; --force)",
            dir.join(name).display()
        );
    }
    for name in &w.kept_edits {
        let _ = writeln!(
            err,
            "capform: kept {} (no longer generated, but edited by hand: it is yours now)",
            dir.join(name).display()
        );
    }
}

/// Compare the indexes of autoscaled tables with the module already in `dir`: a change that
/// `ignore_changes` would hide stops the render (exit 1) and names the `--manage-indexes`
/// render that applies it; a managed table is described (what its apply will do).
fn index_changes(
    dir: &std::path::Path,
    plan: &plan::ModulePlan,
    requested: &[String],
    err: &mut dyn Write,
) -> Option<i32> {
    use crate::validate::indexes;
    let watched: Vec<&str> = plan
        .tables
        .iter()
        .filter(|t| t.autoscaled && !t.indexes.is_empty())
        .map(|t| t.key.as_str())
        .collect();
    let file = dir.join("dynamodb-autoscaling.tf");
    let changes = match (
        watched.is_empty(),
        crate::input::read_limited(&file, crate::validate::module::MAX_TF_FILE_BYTES),
    ) {
        (false, Ok(bytes)) => indexes::changes(
            &indexes::table_blocks(&String::from_utf8_lossy(&bytes), &watched),
            plan,
        ),
        _ => Vec::new(),
    };
    let at_max = |t: &plan::TablePlan| -> String {
        t.indexes
            .iter()
            .filter_map(|ix| {
                ix.capacity
                    .as_ref()
                    .map(|c| format!("`{}` {} RCU / {} WCU", ix.name, c.read.max, c.write.max))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut blocked = Vec::new();
    for c in &changes {
        if c.managed {
            continue;
        }
        let _ = writeln!(
            err,
            "{}: error: table `{}` {}; its indexes are ignored after creation (autoscaled capacity), so this module would not apply that (and `terraform plan` fails with \"all attributes must be indexed\" when an index adds a key)",
            file.display(),
            c.table,
            c.summary()
        );
        blocked.push(c.table.as_str());
    }
    for t in plan.tables.iter().filter(|t| t.indexes_managed) {
        let what = changes
            .iter()
            .find(|c| c.table == t.key)
            .map(|c| format!("{} and ", c.summary()))
            .unwrap_or_default();
        let _ = writeln!(
            err,
            "capform: --manage-indexes {}: the next apply {what}writes every index of `{}` at its autoscaling maximum ({}), so live capacity only rises; autoscaling scales it back in after about 15 minutes of low use. Apply once, then render again without --manage-indexes.",
            t.key,
            t.key,
            at_max(t)
        );
    }
    for k in requested {
        if plan
            .tables
            .iter()
            .any(|t| &t.key == k && !t.indexes_managed)
        {
            let _ = writeln!(
                err,
                "capform: warning: --manage-indexes {k}: table `{k}` is not autoscaled with indexes at {} customers; nothing to manage",
                plan.customers
            );
        }
    }
    if blocked.is_empty() {
        return None;
    }
    let _ = writeln!(
        err,
        "capform: not rendered; render with `--manage-indexes {}` for one apply, then without it. {} left unchanged",
        blocked.join(","),
        dir.display()
    );
    Some(FINDINGS)
}
